package io.drawbridge.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.events.GrantOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

@AuditIntegrationTest
class OrderTimelineIT {

    private static final TestEvents events = new TestEvents();

    @Autowired
    WebTestClient client;

    @AfterAll
    static void closeProducer() {
        events.close();
    }

    @Test
    void timelineListsEveryEventOfTheOrderInOrderWhateverTheArrivalOrder() {
        AdminApi api = new AdminApi(client);
        Purchase p = Purchase.now();
        Purchase stranger = Purchase.now();
        UUID request = UUID.randomUUID();
        UUID grant = UUID.randomUUID();

        // Published newest first; refund and revocation share a timestamp, so do the last response and the grant's
        // outcome.
        events.publish(p.revoked(), p.plus(60));
        events.publish(p.refunded(), p.plus(60));
        events.publish(p.settled(grant, GrantOutcome.COMPLETED, Purchase.FILE_SIZE, p.plus(30)), p.plus(30));
        events.publish(p.completed(grant, 0, "linux", p.plus(20), p.plus(30)), p.plus(30));
        events.publish(p.granted(request, grant, "linux"), p.plus(20));
        events.publish(p.requested(request, "linux", "curl/8.5", p.plus(20)), p.plus(20));
        events.publish(p.issued(), p.plus(1));
        events.publish(p.paid(), p.at());
        events.publish(stranger.paid(), p.plus(2));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode timeline = api.get("/api/v1/orders/" + p.orderId() + "/timeline");
            assertThat(timeline.get("order_id").asString()).isEqualTo(p.orderId());
            List<String> phases = new ArrayList<>();
            timeline.get("events")
                    .forEach(event -> phases.add(event.get("phase").asString()));
            assertThat(phases)
                    .containsExactly(
                            "paid", "issued", "requested", "granted", "downloaded", "settled", "refunded", "revoked");
        });
        JsonNode settled = api.get("/api/v1/orders/" + p.orderId() + "/timeline")
                .get("events")
                .get(5);
        assertThat(settled.get("type").asString()).isEqualTo("GrantSettled");
        assertThat(settled.get("topic").asString()).isEqualTo("tokens.v1");
        assertThat(settled.get("token_id").asString()).isEqualTo(p.tokenId().toString());
        assertThat(settled.get("summary").asString())
                .isEqualTo("Download completed: " + Purchase.FILE_SIZE + " of " + Purchase.FILE_SIZE + " bytes sent");
        JsonNode first = api.get("/api/v1/orders/" + p.orderId() + "/timeline")
                .get("events")
                .get(0);
        assertThat(first.get("type").asString()).isEqualTo("OrderStatusChanged");
        assertThat(first.get("topic").asString()).isEqualTo("orders.v1");
        assertThat(first.get("summary").asString()).isEqualTo("Order paid at stripe");
        assertThat(first.get("payload").get("orderId").asString()).isEqualTo(p.orderId());
    }

    @Test
    void unknownOrderIsNotFound() {
        new AdminApi(client)
                .client()
                .get()
                .uri("/api/v1/orders/ord_never_seen/timeline")
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("order_not_found");
    }
}
