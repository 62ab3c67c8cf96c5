package io.drawbridge.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.events.DownloadGranted;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The plaintext token leaves the service once, in the issuing response: never in the database or the logs. */
@ExtendWith(OutputCaptureExtension.class)
class SecretHygieneIT extends TokenServiceTestBase {

    @Test
    void plaintextTokenIsInNoTextColumnAndNoLogLine(CapturedOutput output) {
        String sku = unique("sku");
        java.util.UUID fileId = productWithOneFile(sku, 100);
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
        String randomPart = token.substring("dl_".length());

        List<String[]> columns = db.sql("SELECT table_name, column_name FROM information_schema.columns"
                        + " WHERE table_schema = 'token' AND data_type IN"
                        + " ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea')")
                .map(row -> new String[] {row.get(0, String.class), row.get(1, String.class)})
                .all()
                .collectList()
                .block();
        assertThat(columns).extracting(c -> c[0]).contains("token", "outbox", "redemption", "token_history");
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
