package io.drawbridge.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class DevAntistockTest {

    private static final String TOKEN = "as_dev_test_token";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-22T10:00:00Z"));
    private final HttpClient http = HttpClient.newHttpClient();
    private DevAntistock antistock;

    @BeforeEach
    void start() throws Exception {
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        antistock = DevAntistock.start(0, TOKEN, clock);
    }

    @AfterEach
    void stop() {
        antistock.close();
    }

    @Test
    void anOrderMadeInTheSandboxIsListedAsAntistockListsOrders() throws Exception {
        JsonNode created = json(post("/sandbox/orders", "{\"email\":\"Buyer@Example.com\",\"sku\":\"demo-app\"}"), 201);

        JsonNode orders = json(get("/v1/orders?updated_since=2026-11-22T09:55:00Z&page=1&per_page=100", TOKEN), 200);
        assertThat(orders.get("data")).hasSize(1);
        JsonNode order = orders.get("data").get(0);
        assertThat(order.get("id").asString())
                .isEqualTo(created.get("id").asString())
                .startsWith("ord_");
        assertThat(order.get("status").asString()).isEqualTo("paid");
        assertThat(order.get("updated_at").asString()).isEqualTo("2026-11-22T10:00:00Z");
        assertThat(order.get("items").get(0).get("sku").asString()).isEqualTo("demo-app");
        assertThat(orders.get("meta").get("next_page").isNull()).isTrue();

        JsonNode customers = json(get("/v1/customers?page=1&per_page=100", TOKEN), 200);
        assertThat(customers.get("data")).singleElement().satisfies(customer -> {
            assertThat(customer.get("id").asString())
                    .isEqualTo(order.get("customer_id").asString());
            assertThat(customer.get("email").asString()).isEqualTo("Buyer@Example.com");
        });
    }

    @Test
    void aStatusChangeMovesTheOrderPastTheSyncCursor() throws Exception {
        String id = json(post("/sandbox/orders", "{\"email\":\"buyer@example.com\"}"), 201)
                .get("id")
                .asString();
        now.set(Instant.parse("2026-11-22T11:00:00Z"));

        JsonNode refunded = json(post("/sandbox/orders/" + id + "/status", "{\"status\":\"refunded\"}"), 200);

        assertThat(refunded.get("status").asString()).isEqualTo("refunded");
        JsonNode since = json(get("/v1/orders?updated_since=2026-11-22T10:30:00Z", TOKEN), 200);
        assertThat(since.get("data")).singleElement().satisfies(order -> {
            assertThat(order.get("id").asString()).isEqualTo(id);
            assertThat(order.get("status").asString()).isEqualTo("refunded");
        });
        assertThat(json(post("/sandbox/orders/ord_unknown/status", "{\"status\":\"refunded\"}"), 404)
                        .get("error")
                        .asString())
                .isEqualTo("order_not_found");
    }

    @Test
    void ordersArePagedWithANextPageUntilTheLastOne() throws Exception {
        for (int i = 0; i < 3; i++) {
            post("/sandbox/orders", "{\"email\":\"buyer" + i + "@example.com\"}");
        }

        JsonNode first = json(get("/v1/orders?page=1&per_page=2", TOKEN), 200);
        JsonNode second = json(get("/v1/orders?page=2&per_page=2", TOKEN), 200);

        assertThat(first.get("data")).hasSize(2);
        assertThat(first.get("meta").get("next_page").asInt()).isEqualTo(2);
        assertThat(second.get("data")).hasSize(1);
        assertThat(second.get("meta").get("next_page").isNull()).isTrue();
        assertThat(second.get("meta").get("total").asInt()).isEqualTo(3);
    }

    @Test
    void theApiWantsTheBearerTokenAndBadInputIsRefused() throws Exception {
        assertThat(get("/v1/orders", null).statusCode()).isEqualTo(401);
        assertThat(get("/v1/orders", "as_dev_wrong").statusCode()).isEqualTo(401);
        assertThat(json(post("/sandbox/orders", "{\"email\":\"not-an-email\"}"), 400)
                        .get("error")
                        .asString())
                .isEqualTo("bad_request");
        assertThat(post("/sandbox/orders", "not json").statusCode()).isEqualTo(400);
        assertThat(post("/sandbox/orders", "{\"email\":\"a@example.com\",\"status\":\"PAID; drop\"}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(antistock.orders()).isEmpty();
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(antistock.url() + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(antistock.url() + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }
}
