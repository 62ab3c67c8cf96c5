package io.drawbridge.order.support;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Plays Stripe's API on loopback for {@code GET /v1/events} (filters {@code types[]}, {@code created[gt]}, newest
 * first, pages with {@code limit}/{@code starting_after}/{@code has_more}) and {@code GET
 * /v1/checkout/sessions/{id}/line_items}, answering Stripe's list shape. Requires the configured bearer key.
 */
public final class FakeStripe {

    public static final String API_KEY = "sk_test_drawbridge_fake";

    private static FakeStripe shared;

    private final DisposableServer server;
    private final List<ObjectNode> events = new CopyOnWriteArrayList<>();
    private final Map<String, List<ObjectNode>> lineItems = new ConcurrentHashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

    private FakeStripe() {
        server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .route(routes -> routes.get("/v1/events", this::events)
                        .get("/v1/checkout/sessions/{id}/line_items", this::lineItems))
                .bindNow();
    }

    public static synchronized FakeStripe shared() {
        if (shared == null) {
            shared = new FakeStripe();
            Runtime.getRuntime().addShutdownHook(new Thread(shared.server::disposeNow));
        }
        return shared;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Makes {@code event} listable, as Stripe keeps every event for 30 days. */
    public void addEvent(ObjectNode event) {
        events.add(event);
    }

    public void setLineItems(String sessionId, List<ObjectNode> items) {
        lineItems.put(sessionId, List.copyOf(items));
    }

    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    public void reset() {
        events.clear();
        lineItems.clear();
        requests.clear();
    }

    private Mono<Void> events(HttpServerRequest request, HttpServerResponse response) {
        RecordedRequest recorded = record(request);
        if (!authorized(recorded)) {
            return error(response, HttpResponseStatus.UNAUTHORIZED, "invalid_request_error", "Invalid API Key");
        }
        List<String> types = recorded.query().getOrDefault("types[]", List.of());
        long createdAfter = Long.parseLong(
                recorded.query().getOrDefault("created[gt]", List.of("0")).get(0));
        List<ObjectNode> matching = events.stream()
                .filter(e -> types.isEmpty() || types.contains(e.get("type").asString()))
                .filter(e -> e.get("created").asLong() > createdAfter)
                .sorted(Comparator.comparingLong(
                                (ObjectNode e) -> e.get("created").asLong())
                        .reversed())
                .toList();
        return page(response, recorded, matching, "/v1/events");
    }

    private Mono<Void> lineItems(HttpServerRequest request, HttpServerResponse response) {
        RecordedRequest recorded = record(request);
        if (!authorized(recorded)) {
            return error(response, HttpResponseStatus.UNAUTHORIZED, "invalid_request_error", "Invalid API Key");
        }
        String sessionId = request.param("id");
        List<ObjectNode> items = lineItems.get(sessionId);
        if (items == null) {
            return error(
                    response,
                    HttpResponseStatus.NOT_FOUND,
                    "invalid_request_error",
                    "No such checkout.session: '" + sessionId + "'");
        }
        return page(response, recorded, items, "/v1/checkout/sessions/" + sessionId + "/line_items");
    }

    private Mono<Void> page(HttpServerResponse response, RecordedRequest request, List<ObjectNode> all, String url) {
        int limit = Integer.parseInt(
                request.query().getOrDefault("limit", List.of("10")).get(0));
        String startingAfter = request.param("starting_after");
        int from = 0;
        if (startingAfter != null) {
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).get("id").asString().equals(startingAfter)) {
                    from = i + 1;
                }
            }
        }
        List<ObjectNode> page =
                new ArrayList<>(all.subList(Math.min(from, all.size()), Math.min(from + limit, all.size())));
        ObjectNode list = StripeFixtures.JSON.createObjectNode();
        list.put("object", "list");
        ArrayNode data = list.putArray("data");
        page.forEach(data::add);
        list.put("has_more", from + limit < all.size());
        list.put("url", url);
        return response.status(HttpResponseStatus.OK)
                .header("Content-Type", "application/json")
                .header("Request-Id", StripeFixtures.unique("req_"))
                .sendString(Mono.just(StripeFixtures.JSON.writeValueAsString(list)))
                .then();
    }

    private static Mono<Void> error(HttpServerResponse response, HttpResponseStatus status, String type, String msg) {
        ObjectNode body = StripeFixtures.JSON.createObjectNode();
        body.putObject("error").put("type", type).put("message", msg);
        return response.status(status)
                .header("Content-Type", "application/json")
                .sendString(Mono.just(StripeFixtures.JSON.writeValueAsString(body)))
                .then();
    }

    private static boolean authorized(RecordedRequest request) {
        return ("Bearer " + API_KEY).equals(request.authorization());
    }

    private RecordedRequest record(HttpServerRequest request) {
        QueryStringDecoder decoder = new QueryStringDecoder(request.uri());
        RecordedRequest recorded = new RecordedRequest(
                decoder.path(),
                Map.copyOf(decoder.parameters()),
                request.requestHeaders().get("Authorization"));
        requests.add(recorded);
        return recorded;
    }
}
