package io.drawbridge.devstack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stand-in for the Antistock storefront, so that the pulled-orders path can be tried without an Antistock account.
 * It answers the two calls order-sync-service makes ({@code GET /v1/customers} and {@code GET
 * /v1/orders?updated_since=}, paged {@code {"data": [...], "meta": {...}}}, bearer token required), in Antistock's
 * shapes, from orders created and changed through a small control API that {@code bin/antistock-order} calls:
 *
 * <ul>
 *   <li>{@code POST /sandbox/orders {"email", "sku", "status"?}}: a new order (status {@code paid} unless given)
 *   <li>{@code POST /sandbox/orders/{id}/status {"status"}}: the order changes status ({@code refunded}, ...)
 *   <li>{@code GET /sandbox/orders}: every order
 * </ul>
 *
 * Every change moves the order's {@code updated_at}, which is what the sync's cursor follows. Orders live in memory for
 * the stack's run; their ids are random, so a restart never reuses one.
 */
final class DevAntistock implements AutoCloseable {

    static final int DEFAULT_PORT = 8090;

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Pattern STATUS_PATH = Pattern.compile("/sandbox/orders/([A-Za-z0-9_]+)/status");
    private static final Pattern STATUS_VALUE = Pattern.compile("[a-z_]{1,40}");
    private static final Pattern SKU_VALUE = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpServer server;
    private final ExecutorService executor;
    private final byte[] apiToken;
    private final Clock clock;
    private final Map<String, ObjectNode> customersByEmail = new LinkedHashMap<>();
    private final Map<String, ObjectNode> orders = new LinkedHashMap<>();

    private DevAntistock(HttpServer server, ExecutorService executor, String apiToken, Clock clock) {
        this.server = server;
        this.executor = executor;
        this.apiToken = apiToken.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
    }

    /** Listens on loopback at {@code port} (0: any free port). */
    static DevAntistock start(int port, String apiToken, Clock clock) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "dev-antistock");
            thread.setDaemon(true);
            return thread;
        });
        DevAntistock antistock = new DevAntistock(server, executor, apiToken, clock);
        server.createContext("/", antistock::handle);
        server.setExecutor(executor);
        server.start();
        return antistock;
    }

    String url() {
        return "http://" + server.getAddress().getHostString() + ":"
                + server.getAddress().getPort();
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                route(exchange);
            } catch (IllegalArgumentException e) {
                reply(exchange, 400, error("bad_request", e.getMessage()));
            } catch (RuntimeException e) {
                reply(exchange, 500, error("internal", e.toString()));
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        String path = uri.getPath();
        String method = exchange.getRequestMethod();
        if (path.startsWith("/v1/")) {
            if (!authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
                reply(exchange, 401, error("unauthorized", "a valid bearer token is required"));
            } else if (method.equals("GET") && path.equals("/v1/customers")) {
                reply(exchange, 200, page(customers(), query(uri)));
            } else if (method.equals("GET") && path.equals("/v1/orders")) {
                Map<String, String> query = query(uri);
                reply(exchange, 200, page(ordersUpdatedSince(query.get("updated_since")), query));
            } else {
                reply(exchange, 404, error("not_found", "no such endpoint"));
            }
            return;
        }
        Matcher status = STATUS_PATH.matcher(path);
        if (method.equals("GET") && path.equals("/sandbox/orders")) {
            reply(exchange, 200, allOrders());
        } else if (method.equals("POST") && path.equals("/sandbox/orders")) {
            createOrder(exchange, readBody(exchange.getRequestBody()));
        } else if (method.equals("POST") && status.matches()) {
            changeStatus(exchange, status.group(1), readBody(exchange.getRequestBody()));
        } else {
            reply(exchange, 404, error("not_found", "no such endpoint"));
        }
    }

    private boolean authorized(String header) {
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(apiToken, header.substring(7).getBytes(StandardCharsets.UTF_8));
    }

    private void createOrder(HttpExchange exchange, JsonNode body) throws IOException {
        String email = text(body, "email");
        if (email == null || !email.contains("@") || email.length() > 254) {
            throw new IllegalArgumentException("\"email\" must be an email address");
        }
        String sku = text(body, "sku") == null ? "demo-app" : text(body, "sku");
        if (!SKU_VALUE.matcher(sku).matches()) {
            throw new IllegalArgumentException("\"sku\" must be 1-100 letters, digits, '.', '_' or '-'");
        }
        String status = status(body, "paid");
        ObjectNode order;
        synchronized (this) {
            Instant now = now();
            ObjectNode customer =
                    customersByEmail.computeIfAbsent(email.toLowerCase(Locale.ROOT), key -> customer(email, now));
            String id = "ord_" + randomId();
            order = JSON.createObjectNode();
            order.put("id", id);
            order.put("number", Integer.toString(1000 + orders.size() + 1));
            order.put("customer_id", customer.get("id").asString());
            order.put("status", status);
            order.put("currency", "EUR");
            order.put("total_cents", 2900);
            order.put("created_at", now.toString());
            order.put("updated_at", now.toString());
            ObjectNode item = order.putArray("items").addObject();
            item.put("id", id + "_item_1");
            item.put("product_id", "prod_" + sku);
            item.put("sku", sku);
            item.put("name", sku);
            item.put("quantity", 1);
            item.put("unit_price_cents", 2900);
            orders.put(id, order);
            order = order.deepCopy();
        }
        reply(exchange, 201, order);
    }

    private void changeStatus(HttpExchange exchange, String id, JsonNode body) throws IOException {
        String status = status(body, null);
        if (status == null) {
            throw new IllegalArgumentException("\"status\" is required, e.g. refunded");
        }
        ObjectNode order;
        synchronized (this) {
            order = orders.get(id);
            if (order != null) {
                order.put("status", status);
                order.put("updated_at", now().toString());
                order = order.deepCopy();
            }
        }
        if (order == null) {
            reply(exchange, 404, error("order_not_found", "no order " + id));
        } else {
            reply(exchange, 200, order);
        }
    }

    private synchronized List<JsonNode> customers() {
        return customersByEmail.values().stream().map(JsonNode::deepCopy).toList();
    }

    private synchronized List<JsonNode> ordersUpdatedSince(String since) {
        Instant from;
        try {
            from = since == null ? Instant.EPOCH : Instant.parse(since);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("updated_since must be an ISO-8601 instant");
        }
        return orders.values().stream()
                .filter(order ->
                        !Instant.parse(order.get("updated_at").asString()).isBefore(from))
                .map(JsonNode::deepCopy)
                .toList();
    }

    private synchronized ObjectNode allOrders() {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode data = body.putArray("data");
        orders.values().forEach(order -> data.add(order.deepCopy()));
        return body;
    }

    private static ObjectNode page(List<JsonNode> all, Map<String, String> query) {
        int page = positive(query.get("page"), 1);
        int perPage = Math.min(positive(query.get("per_page"), 100), 100);
        int from = (int) Math.min((long) (page - 1) * perPage, all.size());
        int to = Math.min(from + perPage, all.size());
        ObjectNode body = JSON.createObjectNode();
        ArrayNode data = body.putArray("data");
        all.subList(from, to).forEach(data::add);
        ObjectNode meta = body.putObject("meta");
        meta.put("page", page);
        meta.put("per_page", perPage);
        if (to < all.size()) {
            meta.put("next_page", page + 1);
        } else {
            meta.putNull("next_page");
        }
        meta.put("total", all.size());
        return body;
    }

    private ObjectNode customer(String email, Instant now) {
        ObjectNode customer = JSON.createObjectNode();
        customer.put("id", "cus_" + randomId());
        customer.put("email", email);
        customer.put("name", email.substring(0, email.indexOf('@')));
        customer.put("created_at", now.toString());
        customer.put("updated_at", now.toString());
        return customer;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static String status(JsonNode body, String orElse) {
        String status = text(body, "status");
        if (status == null) {
            return orElse;
        }
        if (!STATUS_VALUE.matcher(status).matches()) {
            throw new IllegalArgumentException("\"status\" must be an Antistock status such as paid or refunded");
        }
        return status;
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() ? null : value.asString().trim();
    }

    private static int positive(String value, int orElse) {
        if (value == null) {
            return orElse;
        }
        try {
            return Math.max(1, Integer.parseInt(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("page and per_page must be numbers");
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                query.put(
                        URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    private static JsonNode readBody(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(64 * 1024 + 1);
        if (bytes.length > 64 * 1024) {
            throw new IllegalArgumentException("the body is larger than 64 KiB");
        }
        try {
            JsonNode body = JSON.readTree(bytes);
            if (body == null || !body.isObject()) {
                throw new IllegalArgumentException("the body must be a JSON object");
            }
            return body;
        } catch (tools.jackson.core.JacksonException e) {
            throw new IllegalArgumentException("the body is not JSON");
        }
    }

    private static ObjectNode error(String code, String message) {
        ObjectNode error = JSON.createObjectNode();
        error.put("error", code);
        error.put("message", message);
        return error;
    }

    private static void reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String randomId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** For tests: the orders as {@code GET /v1/orders} would list them from the epoch. */
    List<JsonNode> orders() {
        return new ArrayList<>(ordersUpdatedSince(null));
    }
}
