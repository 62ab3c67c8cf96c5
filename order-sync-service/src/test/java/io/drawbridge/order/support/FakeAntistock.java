package io.drawbridge.order.support;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Plays Antistock's REST API on loopback: {@code GET /v1/customers?page=&per_page=} and {@code GET
 * /v1/orders?updated_since=&page=&per_page=}, pages {@code {"data": [...], "meta": {"page", "per_page",
 * "next_page", "total"}}}, bearer token required. Faults (an error status, a {@code Retry-After}, a slow answer)
 * can be queued for the next requests, or every request can fail.
 */
public final class FakeAntistock {

    public static final String TOKEN = "as_test_token_fake";

    private static FakeAntistock shared;

    /** What the next request gets instead of (or before) its page. */
    public record Fault(int status, String retryAfter, Duration delay) {
        public static Fault status(int status) {
            return new Fault(status, null, Duration.ZERO);
        }

        public static Fault throttled(String retryAfter) {
            return new Fault(429, retryAfter, Duration.ZERO);
        }

        /** Answers the page normally, but only after {@code delay}. */
        public static Fault slow(Duration delay) {
            return new Fault(200, null, delay);
        }
    }

    /** A request and when it arrived. */
    public record Received(RecordedRequest request, Instant at) {}

    private final DisposableServer server;
    private volatile List<List<ObjectNode>> customerPages = List.of();
    private volatile List<List<ObjectNode>> orderPages = List.of();
    private final Queue<Fault> faults = new ConcurrentLinkedQueue<>();
    private volatile Integer alwaysFailWith;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private FakeAntistock() {
        server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .route(routes -> routes.get("/v1/customers", (req, res) -> serve(req, res, customerPages))
                        .get("/v1/orders", (req, res) -> serve(req, res, orderPages)))
                .bindNow();
    }

    public static synchronized FakeAntistock shared() {
        if (shared == null) {
            shared = new FakeAntistock();
            Runtime.getRuntime().addShutdownHook(new Thread(shared.server::disposeNow));
        }
        return shared;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    public void reset() {
        customerPages = List.of();
        orderPages = List.of();
        faults.clear();
        alwaysFailWith = null;
        received.clear();
    }

    public void customerPages(List<List<ObjectNode>> pages) {
        customerPages = List.copyOf(pages);
    }

    public void orderPages(List<List<ObjectNode>> pages) {
        orderPages = List.copyOf(pages);
    }

    public void enqueue(Fault... next) {
        faults.addAll(List.of(next));
    }

    /** Every request fails with {@code status} until {@link #reset()}. */
    public void failEveryRequestWith(int status) {
        alwaysFailWith = status;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public static ObjectNode customer(String id, String email, String name) {
        ObjectNode customer = StripeFixtures.JSON.createObjectNode();
        customer.put("id", id);
        customer.put("email", email);
        customer.put("name", name);
        customer.put("created_at", "2026-01-01T10:00:00Z");
        customer.put("updated_at", "2026-01-01T10:00:00Z");
        return customer;
    }

    public static ObjectNode order(String id, String customerId, String status, Instant updatedAt, String sku) {
        ObjectNode order = StripeFixtures.JSON.createObjectNode();
        order.put("id", id);
        order.put("number", id.replace("ord_", ""));
        order.put("customer_id", customerId);
        order.put("status", status);
        order.put("currency", "EUR");
        order.put("total_cents", 2900);
        order.put("created_at", "2026-01-01T10:00:00Z");
        order.put("updated_at", updatedAt.toString());
        ArrayNode items = order.putArray("items");
        ObjectNode item = items.addObject();
        item.put("id", id + "_item_1");
        item.put("product_id", "prod_" + sku);
        item.put("sku", sku);
        item.put("name", "Product " + sku);
        item.put("quantity", 1);
        item.put("unit_price_cents", 2900);
        return order;
    }

    private Mono<Void> serve(HttpServerRequest request, HttpServerResponse response, List<List<ObjectNode>> pages) {
        QueryStringDecoder decoder = new QueryStringDecoder(request.uri());
        RecordedRequest recorded = new RecordedRequest(
                decoder.path(),
                Map.copyOf(decoder.parameters()),
                request.requestHeaders().get("Authorization"));
        received.add(new Received(recorded, Instant.now()));
        if (!("Bearer " + TOKEN).equals(recorded.authorization())) {
            return json(response, HttpResponseStatus.UNAUTHORIZED, "{\"error\":\"unauthorized\"}");
        }
        Integer failing = alwaysFailWith;
        if (failing != null) {
            return json(response, HttpResponseStatus.valueOf(failing), "{\"error\":\"internal\"}");
        }
        Fault fault = faults.poll();
        if (fault != null && fault.status() != 200) {
            if (fault.retryAfter() != null) {
                response.header("Retry-After", fault.retryAfter());
            }
            return json(response, HttpResponseStatus.valueOf(fault.status()), "{\"error\":\"fault\"}");
        }
        int page = Integer.parseInt(recorded.param("page") == null ? "1" : recorded.param("page"));
        ObjectNode body = StripeFixtures.JSON.createObjectNode();
        ArrayNode data = body.putArray("data");
        if (page >= 1 && page <= pages.size()) {
            pages.get(page - 1).forEach(data::add);
        }
        ObjectNode meta = body.putObject("meta");
        meta.put("page", page);
        meta.put("per_page", recorded.param("per_page") == null ? 100 : Integer.parseInt(recorded.param("per_page")));
        if (page < pages.size()) {
            meta.put("next_page", page + 1);
        } else {
            meta.putNull("next_page");
        }
        meta.put("total", pages.stream().mapToInt(List::size).sum());
        Mono<Void> answer = json(response, HttpResponseStatus.OK, StripeFixtures.JSON.writeValueAsString(body));
        return fault != null ? Mono.delay(fault.delay()).then(answer) : answer;
    }

    private static Mono<Void> json(HttpServerResponse response, HttpResponseStatus status, String body) {
        return response.status(status)
                .header("Content-Type", "application/json")
                .sendString(Mono.just(body))
                .then();
    }
}
