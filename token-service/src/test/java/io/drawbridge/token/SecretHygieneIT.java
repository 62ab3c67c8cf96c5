package io.drawbridge.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.events.DownloadGranted;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The plaintext token leaves the service in the issuing response and the email only: never in the database or the
 * logs, not even while an email is retried.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretHygieneIT extends OrderTestBase {

    @Test
    void plaintextTokenIsInNoTextColumnAndNoLogLine(CapturedOutput output) {
        String sku = unique("sku");
        UUID fileId = productWithOneFile(sku, 100);
        Map<String, Object> issued =
                issue(Map.of("customer_email", "secret@example.com", "product", sku, "max_downloads", 1));
        String token = (String) issued.get("token");
        DownloadGranted grant = granted(redeem(token, "ua"));
        completed(grant, fileId, 0, 100, 100);
        await().atMost(KAFKA).until(() -> "completed".equals(grantStatus(grant.grantId())));
        await().atMost(KAFKA)
                .until(() -> count(
                                "SELECT count(*) FROM outbox WHERE message_key = :id AND event_type = 'TokenExhausted'",
                                grant.tokenId().toString())
                        == 1);

        assertNowhere(token, output);
    }

    @Test
    void emailedAndRetriedTokensAreInNoTextColumnAndNoLogLine(CapturedOutput output) {
        TestOrder order = order("stripe", product());
        TestSmtp.stop();
        publish(order.event("paid", "pending"));
        UUID link = tokenOf(order, "li_1");
        await().atMost(KAFKA).until(() -> deliveryAttempts(link) >= 2);
        TestSmtp.start();
        String emailed = tokens(awaitEmail(order.email())).get(0);
        assertRedeems(emailed);

        TestOrder claimed = order("shop-claims", product());
        publish(claimed.event("paid", "pending"));
        await().atMost(KAFKA).until(() -> "pending".equals(lineState(claimed, "li_1")));
        Map<String, Object> claim = admin().post()
                .uri("/api/v1/tokens/for-order")
                .bodyValue(Map.of(
                        "provider",
                        claimed.provider(),
                        "external_id",
                        claimed.externalId(),
                        "customer_email",
                        claimed.email()))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody(JSON)
                .returnResult()
                .getResponseBody();
        String returned =
                (String) ((List<Map<String, Object>>) claim.get("links")).get(0).get("token");
        assertThat(tokens(awaitEmail(claimed.email()))).containsExactly(returned);
        await().atMost(KAFKA).until(() -> "emailed".equals(delivery(tokenOf(claimed, "li_1"))));

        assertNowhere(emailed, output);
        assertNowhere(returned, output);
    }

    private void assertNowhere(String token, CapturedOutput output) {
        String randomPart = token.substring("dl_".length());
        List<String[]> columns = db.sql("SELECT table_name, column_name FROM information_schema.columns"
                        + " WHERE table_schema = 'token' AND data_type IN"
                        + " ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea')")
                .map(row -> new String[] {row.get(0, String.class), row.get(1, String.class)})
                .all()
                .collectList()
                .block();
        assertThat(columns)
                .extracting(c -> c[0])
                .contains("token", "outbox", "redemption", "token_history", "customer_order", "order_line");
        for (String[] column : columns) {
            long hits = db.sql("SELECT count(*) FROM token.\"" + column[0] + "\" WHERE position(:needle IN \""
                            + column[1] + "\"::text) > 0")
                    .bind("needle", randomPart)
                    .map(row -> row.get(0, Long.class))
                    .one()
                    .block();
            assertThat(hits).as("%s.%s", column[0], column[1]).isZero();
        }
        assertThat(output.getAll()).doesNotContain(randomPart);
    }
}
