package io.drawbridge.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.events.CustomerErasureRequested;
import io.drawbridge.events.DownloadGranted;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class CustomerErasureIT extends TokenServiceTestBase {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @Test
    void anErasureRequestRelabelsTheCustomersLinksAndOrdersBlanksTheirGrantsAndAnswersWhatItErased() {
        String sku = unique("sku");
        productWithOneFile(sku, 1000);
        String email = unique("Erase.Me") + "@Example.com";
        String other = unique("keep") + "@example.com";
        Map<String, Object> issued = issue(Map.of("customer_email", email, "product", sku));
        Map<String, Object> kept = issue(Map.of("customer_email", other, "product", sku));
        DownloadGranted grant = (DownloadGranted) redeem((String) issued.get("token"), "Erasure-Browser/1");
        DownloadGranted keptGrant = (DownloadGranted) redeem((String) kept.get("token"), "Keep-Browser/1");
        String orderId = unique("ord");
        db.sql(
                        """
                        insert into customer_order (order_id, provider, external_id, customer_email, status, status_at,
                            created_at, updated_at)
                        values (:id, 'stripe', :id, :email, 'paid', now(), now(), now())
                        """)
                .bind("id", orderId)
                .bind("email", " " + email.toUpperCase() + " ")
                .then()
                .block(KAFKA);
        String label = "erased-" + unique("x").substring(2, 18);

        UUID erasureId = UUID.randomUUID();
        publisher
                .publish(new CustomerErasureRequested(
                        erasureId, CustomerErasureRequested.emailHash(email), label, Instant.now()))
                .block(KAFKA);

        JsonNode answer = awaitAnswer(erasureId);
        assertThat(answer.get("service").asString()).isEqualTo("token-service");
        assertThat(answer.get("erased").get("links").asLong()).isEqualTo(1);
        assertThat(answer.get("erased").get("orders").asLong()).isEqualTo(1);
        assertThat(answer.get("erased").get("grant_client_details").asLong()).isEqualTo(1);
        assertThat(text("select customer_email from token where id = :id", grant.tokenId()))
                .isEqualTo(label);
        assertThat(text("select customer_email from customer_order where order_id = :id", orderId))
                .isEqualTo(label);
        assertThat(text("select client_ip || user_agent from download_grant where id = :id", grant.grantId()))
                .isEmpty();
        // Nobody else's.
        assertThat(text("select customer_email from token where id = :id", keptGrant.tokenId()))
                .isEqualTo(other);
        assertThat(text("select user_agent from download_grant where id = :id", keptGrant.grantId()))
                .isEqualTo("Keep-Browser/1");

        // A second request (another erasure of the same customer) finds nothing left and says so.
        UUID again = UUID.randomUUID();
        publisher
                .publish(new CustomerErasureRequested(
                        again, CustomerErasureRequested.emailHash(email), label, Instant.now()))
                .block(KAFKA);
        assertThat(awaitAnswer(again).get("erased").properties())
                .allSatisfy(count -> assertThat(count.getValue().asLong()).isZero());
        assertThat(answers(erasureId)).hasSize(1);
    }

    private JsonNode awaitAnswer(UUID erasureId) {
        await().atMost(KAFKA).until(() -> answers(erasureId).size() == 1);
        return MAPPER.readTree(answers(erasureId).get(0));
    }

    /** The CustomerErased answers to {@code erasureId} in the outbox (what the relay sends to privacy.v1). */
    private List<String> answers(UUID erasureId) {
        return db.sql(
                        "select payload::text as p from outbox where event_type = 'CustomerErased' and message_key = :key")
                .bind("key", erasureId.toString())
                .map(row -> row.get("p", String.class))
                .all()
                .collectList()
                .block(KAFKA);
    }

    private String text(String sql, Object id) {
        return db.sql(sql)
                .bind("id", id)
                .map(row -> row.get(0, String.class))
                .one()
                .block(KAFKA);
    }
}
