package io.drawbridge.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.audit.retention.RetentionPurge;
import io.drawbridge.events.GrantOutcome;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

@AuditIntegrationTest
class RetentionPurgeIT {

    private static final TestEvents events = new TestEvents();

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient database;

    @Autowired
    RetentionPurge purge;

    @AfterAll
    static void closeProducer() {
        events.close();
    }

    @Test
    void purgeDeletesDownloadLogsAndEventsOlderThanTheRetentionAndKeepsTheRest() {
        AdminApi api = new AdminApi(client);
        Purchase old = Purchase.at(Instant.now().minus(401, ChronoUnit.DAYS));
        Purchase recent = Purchase.at(Instant.now().minus(399, ChronoUnit.DAYS));
        for (Purchase p : new Purchase[] {old, recent}) {
            UUID request = UUID.randomUUID();
            UUID grant = UUID.randomUUID();
            events.publish(p.issued(), p.at());
            events.publish(p.requested(request, "linux", "curl/8.5", p.plus(1)), p.plus(1));
            events.publish(p.granted(request, grant, "linux"), p.plus(1));
            events.publish(p.completed(grant, 0, "linux", p.plus(2), p.plus(3)), p.plus(3));
            events.publish(p.settled(grant, GrantOutcome.COMPLETED, Purchase.FILE_SIZE, p.plus(3)), p.plus(3));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(api.logs("token_id=" + old.tokenId() + "&outcome=completed"))
                    .hasSize(1);
            assertThat(api.logs("token_id=" + recent.tokenId() + "&outcome=completed"))
                    .hasSize(1);
            assertThat(trailRows(old.tokenId())).isEqualTo(4);
            assertThat(trailRows(recent.tokenId())).isEqualTo(4);
        });

        RetentionPurge.Purged purged = purge.purge().block(Duration.ofSeconds(30));

        assertThat(purged.downloadLogs()).isGreaterThanOrEqualTo(1);
        assertThat(purged.auditEvents()).isGreaterThanOrEqualTo(4);
        assertThat(purged.settlements()).isGreaterThanOrEqualTo(1);
        assertThat(settlements(old.tokenId())).isZero();
        assertThat(settlements(recent.tokenId())).isEqualTo(1);
        assertThat(api.logs("token_id=" + old.tokenId())).isEmpty();
        assertThat(trailRows(old.tokenId())).isZero();
        assertThat(api.logs("token_id=" + recent.tokenId())).hasSize(1);
        assertThat(trailRows(recent.tokenId())).isEqualTo(4);
    }

    private long settlements(UUID tokenId) {
        return database.sql("select count(*) as n from grant_settlement where token_id = :tokenId")
                .bind("tokenId", tokenId)
                .map(row -> row.get("n", Long.class))
                .one()
                .block(Duration.ofSeconds(10));
    }

    private long trailRows(UUID tokenId) {
        return database.sql("select count(*) as n from audit_event where token_id = :tokenId")
                .bind("tokenId", tokenId)
                .map(row -> row.get("n", Long.class))
                .one()
                .block(Duration.ofSeconds(10));
    }
}
