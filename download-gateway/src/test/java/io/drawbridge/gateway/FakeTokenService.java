package io.drawbridge.gateway;

import io.drawbridge.events.DownloadDenied;
import io.drawbridge.events.DownloadGranted;
import io.drawbridge.events.DownloadRequested;
import io.drawbridge.events.Event;
import io.drawbridge.events.GrantedItem;
import io.drawbridge.events.Topics;
import io.drawbridge.gateway.config.GatewayInstance;
import io.drawbridge.platform.kafka.EventPublisher;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.springframework.kafka.annotation.KafkaListener;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * Plays token-service at its boundaries for the gateway's own tests: a real Kafka consumer of DownloadRequested
 * that answers on the reply topic as scripted, a real HTTP server for {@code /internal/v1/grants/{id}} and
 * {@code /internal/v1/tokens/by-hash/{hash}}, and a record of the download events the gateway published. It only
 * answers requests of its own gateway instance, so other test contexts in the same JVM do not interfere.
 */
public class FakeTokenService {

    static final String SERVICE_TOKEN = "test-service-token-0123456789";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static DisposableServer server;
    private static final Map<UUID, Object> GRANTS = new ConcurrentHashMap<>();
    private static final Map<String, Object> DETAILS = new ConcurrentHashMap<>();
    private static final AtomicInteger HTTP_CALLS = new AtomicInteger();
    private static final Map<UUID, Integer> GRANT_LOOKUPS = new ConcurrentHashMap<>();
    private static final Map<UUID, String> LEASE_REFUSALS = new ConcurrentHashMap<>();
    private static final Map<UUID, String> EXTENSION_REFUSALS = new ConcurrentHashMap<>();
    private static final Map<UUID, LeaseRecord> LEASES = new ConcurrentHashMap<>();
    private static final Map<UUID, Duration> LATE_LEASE_ANSWERS = new ConcurrentHashMap<>();

    private final EventPublisher publisher;
    private final GatewayInstance instance;
    private final Map<String, Function<DownloadRequested, Event>> answers = new ConcurrentHashMap<>();
    private final List<DownloadRequested> requests = new CopyOnWriteArrayList<>();
    private final List<Event> downloads = new CopyOnWriteArrayList<>();

    FakeTokenService(EventPublisher publisher, GatewayInstance instance) {
        this.publisher = publisher;
        this.instance = instance;
    }

    /** The HTTP side, one per test JVM (its URL goes into the gateway's configuration before contexts start). */
    static synchronized String url() {
        if (server == null) {
            server = HttpServer.create()
                    .host("127.0.0.1")
                    .port(0)
                    .route(routes -> routes.get("/internal/v1/grants/{id}", FakeTokenService::grant)
                            .post("/internal/v1/grants/{id}/leases", FakeTokenService::lease)
                            .route(
                                    request -> request.method().name().equals("PATCH")
                                            && request.uri().startsWith("/internal/v1/leases/"),
                                    FakeTokenService::extend)
                            .post("/internal/v1/leases/{id}/end", FakeTokenService::endLease)
                            .get("/internal/v1/tokens/by-hash/{hash}", FakeTokenService::details))
                    .bindNow();
        }
        return "http://127.0.0.1:" + server.port();
    }

    private static Mono<Void> grant(HttpServerRequest request, HttpServerResponse response) {
        UUID grantId = UUID.fromString(request.param("id"));
        GRANT_LOOKUPS.merge(grantId, 1, Integer::sum);
        return answer(request, response, GRANTS.get(grantId));
    }

    /** How often the gateway asked for the grant ({@code GET /internal/v1/grants/{id}}). */
    static int grantLookups(UUID grantId) {
        return GRANT_LOOKUPS.getOrDefault(grantId, 0);
    }

    /**
     * Grants every lease the test has not scripted a refusal for ({@link #refuseLeases}), and records it: token-service's
     * rules themselves are tested in token-service and the system tests.
     */
    private static Mono<Void> lease(HttpServerRequest request, HttpServerResponse response) {
        UUID grantId = UUID.fromString(request.param("id"));
        return request.receive().aggregate().asString().defaultIfEmpty("{}").flatMap(body -> {
            if (!authorized(request)) {
                return response.status(401).send().then();
            }
            String refusal = LEASE_REFUSALS.get(grantId);
            if (refusal != null) {
                return problem(response, refusal);
            }
            Map<?, ?> asked = JSON.readValue(body, Map.class);
            LeaseRecord lease = new LeaseRecord(
                    asked.get("leaseId") == null ? UUID.randomUUID() : UUID.fromString((String) asked.get("leaseId")),
                    grantId,
                    ((Number) asked.get("start")).longValue(),
                    ((Number) asked.get("end")).longValue(),
                    ((Number) asked.get("responseEnd")).longValue(),
                    (String) asked.get("archive"),
                    new CopyOnWriteArrayList<>(),
                    new CopyOnWriteArrayList<>());
            LEASES.put(lease.leaseId(), lease);
            Duration late = LATE_LEASE_ANSWERS.getOrDefault(grantId, Duration.ZERO);
            return Mono.delay(late)
                    .then(response.status(201)
                            .header("Content-Type", "application/json")
                            .sendString(Mono.just(JSON.writeValueAsString(Map.of(
                                    "leaseId", lease.leaseId().toString(),
                                    "grantId", grantId.toString(),
                                    "start", lease.start(),
                                    "leasedEnd", lease.end()))))
                            .then());
        });
    }

    private static Mono<Void> extend(HttpServerRequest request, HttpServerResponse response) {
        LeaseRecord lease = LEASES.get(UUID.fromString(request.uri().substring("/internal/v1/leases/".length())));
        return request.receive().aggregate().asString().flatMap(body -> {
            if (lease == null || !authorized(request)) {
                return response.status(lease == null ? 404 : 401).send().then();
            }
            String refusal = EXTENSION_REFUSALS.get(lease.grantId());
            if (refusal != null) {
                return problem(response, refusal);
            }
            long end = ((Number) JSON.readValue(body, Map.class).get("leasedEnd")).longValue();
            lease.extensions().add(end);
            return response.header("Content-Type", "application/json")
                    .sendString(Mono.just(JSON.writeValueAsString(Map.of(
                            "leaseId", lease.leaseId().toString(),
                            "grantId", lease.grantId().toString(),
                            "start", lease.start(),
                            "leasedEnd", end))))
                    .then();
        });
    }

    private static Mono<Void> endLease(HttpServerRequest request, HttpServerResponse response) {
        LeaseRecord lease = LEASES.get(UUID.fromString(request.param("id")));
        return request.receive().aggregate().asString().flatMap(body -> {
            if (lease == null || !authorized(request)) {
                return response.status(lease == null ? 404 : 401).send().then();
            }
            Map<?, ?> ending = JSON.readValue(body, Map.class);
            lease.endings()
                    .add(new Ending(((Number) ending.get("bytesSent")).longValue(), (Boolean) ending.get("complete")));
            return response.status(204).send().then();
        });
    }

    private static Mono<Void> problem(HttpServerResponse response, String error) {
        int status = error.startsWith("token_") ? 410 : 409;
        return response.status(status)
                .header("Content-Type", "application/problem+json")
                .sendString(Mono.just("{\"status\":" + status + ",\"error\":\"" + error + "\"}"))
                .then();
    }

    private static boolean authorized(HttpServerRequest request) {
        return ("Bearer " + SERVICE_TOKEN).equals(request.requestHeaders().get("Authorization"));
    }

    /** token-service refuses every lease of the grant with {@code error} (as token-service's problem codes). */
    static void refuseLeases(UUID grantId, String error) {
        LEASE_REFUSALS.put(grantId, error);
    }

    /** token-service grants the grant's leases (it records them) but answers only after {@code delay}. */
    static void answerLeasesLate(UUID grantId, Duration delay) {
        LATE_LEASE_ANSWERS.put(grantId, delay);
    }

    /** token-service grants the grant's first windows but refuses every extension with {@code error}. */
    static void refuseExtensions(UUID grantId, String error) {
        EXTENSION_REFUSALS.put(grantId, error);
    }

    /** The leases the gateway took for the grant, in no particular order. */
    static List<LeaseRecord> leasesOf(UUID grantId) {
        return LEASES.values().stream().filter(l -> l.grantId().equals(grantId)).toList();
    }

    /** One lease as the gateway asked for it, the ends it extended it to, and how it ended it. */
    record LeaseRecord(
            UUID leaseId,
            UUID grantId,
            long start,
            long end,
            long responseEnd,
            String archive,
            List<Long> extensions,
            List<Ending> endings) {}

    record Ending(long bytesSent, boolean complete) {}

    private static Mono<Void> details(HttpServerRequest request, HttpServerResponse response) {
        return answer(request, response, DETAILS.get(request.param("hash")));
    }

    private static Mono<Void> answer(HttpServerRequest request, HttpServerResponse response, Object body) {
        HTTP_CALLS.incrementAndGet();
        if (!authorized(request)) {
            return response.status(401).send();
        }
        if (body == null) {
            return response.status(404).send();
        }
        if ("broken".equals(body)) {
            return response.status(500).send();
        }
        return response.header("Content-Type", "application/json")
                .sendString(Mono.just(JSON.writeValueAsString(body)))
                .then();
    }

    @KafkaListener(
            id = "fake-token-service-requests",
            topics = Topics.DOWNLOAD_REQUESTS,
            groupId = "fake-token-service-#{T(java.util.UUID).randomUUID()}",
            properties = {"auto.offset.reset=latest"})
    void onRequest(Event event) {
        if (!(event instanceof DownloadRequested request) || !instance.id().equals(request.gatewayId())) {
            return;
        }
        requests.add(request);
        Function<DownloadRequested, Event> answer = answers.get(request.tokenHash());
        Event reply = answer == null
                ? new DownloadDenied(request.requestId(), null, "invalid_token", null)
                : answer.apply(request);
        if (reply != null) {
            publisher.publish(reply).block(Duration.ofSeconds(10));
        }
    }

    @KafkaListener(
            id = "fake-token-service-downloads",
            topics = Topics.DOWNLOADS,
            groupId = "fake-token-service-#{T(java.util.UUID).randomUUID()}",
            properties = {"auto.offset.reset=latest"})
    void onDownload(Event event) {
        downloads.add(event);
    }

    // ---- scripting

    /** Every redemption of {@code token} is granted with a fresh active grant of {@code items}. */
    void grants(String token, List<GrantedItem> items, int downloadsRemaining) {
        answers.put(hash(token), request -> {
            UUID grantId = UUID.randomUUID();
            Instant expiresAt = Instant.now().plus(Duration.ofHours(1));
            UUID tokenId = UUID.nameUUIDFromBytes(token.getBytes(StandardCharsets.UTF_8));
            grantView(grantId, tokenId, "active", expiresAt, items, 0, 0);
            return new DownloadGranted(
                    request.requestId(),
                    tokenId,
                    grantId,
                    items,
                    expiresAt,
                    downloadsRemaining,
                    items.size() > 1 ? "bundle.zip" : null,
                    false);
        });
    }

    void denies(String token, String reason) {
        answers.put(hash(token), request -> new DownloadDenied(request.requestId(), null, reason, null));
    }

    /** Redemptions of {@code token} are never answered (token-service down or slow). */
    void ignores(String token) {
        answers.put(hash(token), request -> null);
    }

    /** What {@code GET /internal/v1/grants/{grantId}} answers. */
    static void grantView(
            UUID grantId,
            UUID tokenId,
            String status,
            Instant expiresAt,
            List<GrantedItem> items,
            long bytesDelivered,
            long byteBudget) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("grantId", grantId.toString());
        view.put("tokenId", tokenId.toString());
        view.put("status", status);
        view.put("holdsUse", "active".equals(status));
        view.put("expiresAt", expiresAt.toString());
        view.put("items", items);
        view.put("archiveName", items.size() > 1 ? "bundle.zip" : null);
        view.put("bytesDelivered", bytesDelivered);
        view.put("byteBudget", byteBudget);
        GRANTS.put(grantId, view);
    }

    /** What {@code GET /internal/v1/tokens/by-hash/{hash}} answers for {@code token} (snake_case, as agreed). */
    static void details(String token, String status, Instant expiresAt, int remaining, List<GrantedItem> items) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put(
                "token_id",
                UUID.nameUUIDFromBytes(token.getBytes(StandardCharsets.UTF_8)).toString());
        details.put("status", status);
        details.put("expires_at", expiresAt.toString());
        details.put("downloads_remaining", remaining);
        details.put("product_name", "Acme Toolkit <Pro>");
        details.put(
                "items",
                items.stream()
                        .map(i -> {
                            Map<String, Object> item = new LinkedHashMap<>();
                            item.put("name", i.name());
                            item.put("size", i.size());
                            item.put("sha256", i.sha256());
                            item.put("platform", i.platform());
                            return item;
                        })
                        .toList());
        DETAILS.put(hash(token), details);
    }

    /** token-service answers 500 for {@code token}'s details. */
    static void detailsBroken(String token) {
        DETAILS.put(hash(token), "broken");
    }

    List<DownloadRequested> requestsFor(String token) {
        String hash = hash(token);
        return requests.stream().filter(r -> r.tokenHash().equals(hash)).toList();
    }

    List<DownloadRequested> requests() {
        return List.copyOf(requests);
    }

    <T extends Event> List<T> downloads(Class<T> type, UUID grantId) {
        return downloads.stream()
                .filter(type::isInstance)
                .map(type::cast)
                .filter(e -> grantId.equals(grantIdOf(e)))
                .toList();
    }

    /** The landing page views recorded for {@code token}. */
    List<io.drawbridge.events.LinkViewed> viewsOf(String token) {
        UUID tokenId = UUID.nameUUIDFromBytes(token.getBytes(StandardCharsets.UTF_8));
        return downloads.stream()
                .filter(io.drawbridge.events.LinkViewed.class::isInstance)
                .map(io.drawbridge.events.LinkViewed.class::cast)
                .filter(view -> tokenId.equals(view.tokenId()))
                .toList();
    }

    List<Event> downloadsFor(UUID grantId) {
        return downloads.stream().filter(e -> grantId.equals(grantIdOf(e))).toList();
    }

    private static UUID grantIdOf(Event event) {
        if (event instanceof io.drawbridge.events.DownloadCompleted c) {
            return c.grantId();
        }
        if (event instanceof io.drawbridge.events.DownloadFailed f) {
            return f.grantId();
        }
        return null;
    }

    static String hash(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
