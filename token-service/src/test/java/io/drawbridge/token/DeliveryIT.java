package io.drawbridge.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.events.DownloadCompleted;
import io.drawbridge.events.DownloadGranted;
import io.drawbridge.events.EventCatalog;
import io.drawbridge.events.TokenExhausted;
import io.drawbridge.platform.kafka.EventMetadata;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

/** What the gateway reports it delivered settles grants: consumed, released, exhausted. */
class DeliveryIT extends TokenServiceTestBase {

    @Autowired
    KafkaTemplate<Object, Object> kafka;

    @Test
    void completionAcrossTwoRangesConsumesTheUseOnce() {
        Link link = link(1000, 3);
        DownloadGranted grant = granted(redeem(link.token(), "aria2"));

        completed(grant, link.fileId(), 0, 400, 1000);
        await().atMost(KAFKA)
                .until(() -> count("SELECT count(*) FROM delivered_range WHERE grant_id = :id", grant.grantId()) == 1);
        assertThat(grantStatus(grant.grantId())).isEqualTo("active");
        assertThat(uses(grant.tokenId())).containsExactly(0, 1);

        completed(grant, link.fileId(), 400, 600, 1000);
        await().atMost(KAFKA).until(() -> "completed".equals(grantStatus(grant.grantId())));
        assertThat(uses(grant.tokenId())).containsExactly(1, 0);

        completed(grant, link.fileId(), 0, 1000, 1000);
        await().atMost(KAFKA)
                .until(() -> count("SELECT count(*) FROM delivered_range WHERE grant_id = :id", grant.grantId()) == 3);
        assertThat(uses(grant.tokenId())).containsExactly(1, 0);
        assertThat(bytesDelivered(grant)).isEqualTo(2000);
    }

    @Test
    void aRedeliveredCompletionEventIsAppliedOnce() {
        Link link = link(100, 3);
        DownloadGranted grant = granted(redeem(link.token(), "ua"));
        DownloadCompleted done = new DownloadCompleted(
                grant.grantId(),
                grant.tokenId(),
                link.fileId(),
                0,
                60,
                100,
                null,
                "ip",
                "ua",
                Instant.now(),
                Instant.now());
        EventMetadata metadata = EventMetadata.forNew(done, null);

        for (int i = 0; i < 2; i++) {
            ProducerRecord<Object, Object> record =
                    new ProducerRecord<>(EventCatalog.of(done).topic(), done.key(), done);
            metadata.toHeaders(record.headers());
            kafka.send(record).join();
        }
        completed(grant, link.fileId(), 60, 40, 100);

        await().atMost(KAFKA).until(() -> "completed".equals(grantStatus(grant.grantId())));
        assertThat(count("SELECT count(*) FROM delivered_range WHERE grant_id = :id", grant.grantId()))
                .isEqualTo(2);
        assertThat(bytesDelivered(grant)).isEqualTo(100);
    }

    @Test
    void failedDownloadReleasesTheUseAndTheGrantCanBeResumed() {
        Link link = link(1000, 1);
        DownloadGranted grant = granted(redeem(link.token(), "browser"));

        failed(grant, link.fileId(), 0, 300, 1000);
        await().atMost(KAFKA).until(() -> uses(grant.tokenId())[1] == 0);
        assertThat(grantStatus(grant.grantId())).isEqualTo("active");
        assertThat(uses(grant.tokenId())).containsExactly(0, 0);

        DownloadGranted resumed = granted(redeem(link.token(), "browser"));
        assertThat(resumed.grantId()).isEqualTo(grant.grantId());
        assertThat(resumed.reused()).isTrue();
        assertThat(uses(grant.tokenId())).containsExactly(0, 1);

        completed(grant, link.fileId(), 300, 700, 1000);
        await().atMost(KAFKA).until(() -> "completed".equals(grantStatus(grant.grantId())));
        assertThat(uses(grant.tokenId())).containsExactly(1, 0);
    }

    @Test
    void anInterruptedDownloadReportedAfterItsResumeStillCountsAsOneDownload() {
        Link link = link(1000, 1);
        DownloadGranted grant = granted(redeem(link.token(), "download-manager"));

        // Two gateways report independently: the resume's completion is processed before the interruption.
        completed(grant, link.fileId(), 300, 700, 1000);
        await().atMost(KAFKA)
                .until(() -> count("SELECT count(*) FROM delivered_range WHERE grant_id = :id", grant.grantId()) == 1);
        assertThat(grantStatus(grant.grantId())).isEqualTo("active");

        failed(grant, link.fileId(), 0, 300, 1000);
        await().atMost(KAFKA).until(() -> "completed".equals(grantStatus(grant.grantId())));
        assertThat(uses(grant.tokenId())).containsExactly(1, 0);
    }

    @Test
    void aFailedDownloadDoesNotBurnTheLink() {
        Link link = link(1000, 1);
        DownloadGranted grant = granted(redeem(link.token(), "first-browser"));

        failed(grant, link.fileId(), 0, 10, 1000);
        await().atMost(KAFKA).until(() -> uses(grant.tokenId())[1] == 0);

        DownloadGranted another = granted(redeem(link.token(), "second-browser"));
        assertThat(another.grantId()).isNotEqualTo(grant.grantId());
    }

    @Test
    void resumingAGrantThatGaveItsUseBackTakesAUseAgain() {
        Link link = link(1000, 1);
        DownloadGranted grant = granted(redeem(link.token(), "curl"));
        failed(grant, link.fileId(), 0, 300, 1000);
        await().atMost(KAFKA).until(() -> uses(grant.tokenId())[1] == 0);

        holdUse(grant)
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo("active")
                .jsonPath("$.holdsUse")
                .isEqualTo(true);
        assertThat(uses(grant.tokenId())).containsExactly(0, 1);
        // Asking again (a download manager's parallel ranges) takes nothing more.
        holdUse(grant).expectStatus().isOk();
        assertThat(uses(grant.tokenId())).containsExactly(0, 1);

        completed(grant, link.fileId(), 300, 700, 1000);
        await().atMost(KAFKA).until(() -> "completed".equals(grantStatus(grant.grantId())));
        assertThat(uses(grant.tokenId())).containsExactly(1, 0);
    }

    @Test
    void anInterruptedDownloadCannotBeFinishedWithTheUseAnotherDownloadTook() {
        Link link = link(1000, 1);
        DownloadGranted first = granted(redeem(link.token(), "first-browser"));
        failed(first, link.fileId(), 0, 300, 1000);
        await().atMost(KAFKA).until(() -> uses(first.tokenId())[1] == 0);
        DownloadGranted second = granted(redeem(link.token(), "second-browser"));
        assertThat(second.grantId()).isNotEqualTo(first.grantId());

        holdUse(first)
                .expectStatus()
                .isEqualTo(409)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("usage_limit_exceeded");

        assertThat(uses(first.tokenId())).containsExactly(0, 1);
        service()
                .get()
                .uri("/internal/v1/grants/{id}", first.grantId())
                .exchange()
                .expectBody()
                .jsonPath("$.holdsUse")
                .isEqualTo(false);
        service()
                .post()
                .uri("/internal/v1/grants/{id}/use", UUID.randomUUID())
                .exchange()
                .expectStatus()
                .isNotFound();
        web.post()
                .uri("/internal/v1/grants/{id}/use", first.grantId())
                .exchange()
                .expectStatus()
                .isUnauthorized();
    }

    private WebTestClient.ResponseSpec holdUse(DownloadGranted grant) {
        return service()
                .post()
                .uri("/internal/v1/grants/{id}/use", grant.grantId())
                .exchange();
    }

    @Test
    void lastCompletedDownloadExhaustsTheToken() {
        Link link = link(50, 1);
        DownloadGranted grant = granted(redeem(link.token(), "ua"));

        completed(grant, link.fileId(), 0, 50, 50);

        await().atMost(KAFKA)
                .until(() -> collected.eventsOf(grant.tokenId()).stream().anyMatch(TokenExhausted.class::isInstance));
        assertThat(collected.eventsOf(grant.tokenId()))
                .filteredOn(TokenExhausted.class::isInstance)
                .singleElement()
                .satisfies(event ->
                        assertThat(((TokenExhausted) event).downloadsConsumed()).isEqualTo(1));
        assertThat(tokenView(grant.tokenId())).containsEntry("status", "exhausted");
    }

    @Test
    void zipStreamedWithoutALengthCompletesAMultiFileGrantOnlyWhenDeliveredWholeFromByteZero() {
        DownloadGranted grant = bundle(10, 20);

        // The gateway reports the items' total (30) as the size of a ZIP it streams without a length.
        failed(grant, null, 0, 29, 30);
        await().atMost(KAFKA).until(() -> bytesDelivered(grant) == 29);
        assertThat(grantStatus(grant.grantId())).isEqualTo("active");
        assertThat(count("SELECT count(*) FROM delivered_range WHERE grant_id = :id", grant.grantId()))
                .isZero();

        // Deflated: fewer archive bytes than the items' total size.
        completed(grant, null, 0, 25, 30);

        await().atMost(KAFKA).until(() -> "completed".equals(grantStatus(grant.grantId())));
        assertThat(uses(grant.tokenId())).containsExactly(1, 0);
    }

    @Test
    void zipLaidOutUpFrontIsSettledWhenItsDeliveredRangesCoverTheWholeArchive() {
        DownloadGranted grant = bundle(10, 20);
        assertThat(grant.items()).allSatisfy(item -> assertThat(item.crc32()).isEqualTo("00000000"));
        long archive = 30 + 250; // the archive's exact length: more than the items' total (its headers)

        completed(grant, null, 100, archive - 100, archive);
        await().atMost(KAFKA).until(() -> bytesDelivered(grant) == archive - 100);
        assertThat(grantStatus(grant.grantId())).isEqualTo("active");

        // The first response broke off after 60 bytes (reported late): the use goes back, the grant stays resumable.
        failed(grant, null, 0, 60, archive);
        await().atMost(KAFKA).until(() -> uses(grant.tokenId())[1] == 0);
        assertThat(grantStatus(grant.grantId())).isEqualTo("active");

        holdUse(grant).expectStatus().isOk();
        completed(grant, null, 60, 40, archive);

        await().atMost(KAFKA).until(() -> "completed".equals(grantStatus(grant.grantId())));
        assertThat(uses(grant.tokenId())).containsExactly(1, 0);
        assertThat(bytesDelivered(grant)).isEqualTo(archive);
    }

    @Test
    void zipGrantsByteBudgetAllowsForTheArchivesHeaders() {
        DownloadGranted grant = bundle(10, 20);

        service()
                .get()
                .uri("/internal/v1/grants/{id}", grant.grantId())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.items[0].crc32")
                .isEqualTo("00000000")
                // (3 downloads + 1) × (30 bytes + 2048 per entry + 128 for the end records)
                .jsonPath("$.byteBudget")
                .isEqualTo(4 * (30 + 2 * 2048 + 128));
    }

    private DownloadGranted bundle(long sizeA, long sizeB) {
        UUID a = storeFile("a.bin", sizeA);
        UUID b = storeFile("b.bin", sizeB);
        String sku = unique("bundle");
        publishRelease(sku, "1", Map.of("linux", List.of(a, b)));
        String token = (String) issue(Map.of("customer_email", "zip@example.com", "product", sku, "max_downloads", 3))
                .get("token");
        DownloadGranted grant = granted(redeem(token, "ua"));
        assertThat(grant.archiveName()).isNotBlank();
        assertThat(grant.items()).hasSize(2);
        return grant;
    }

    @Test
    void grantThatExpiresUndeliveredIsReleasedBySweep() {
        Link link = link(100, 1);
        DownloadGranted grant = granted(redeem(link.token(), "ua"));
        completed(grant, link.fileId(), 0, 10, 100);
        await().atMost(KAFKA).until(() -> bytesDelivered(grant) == 10);

        clock.advance(Duration.ofMinutes(61));

        await().atMost(KAFKA).until(() -> "released".equals(grantStatus(grant.grantId())));
        assertThat(uses(grant.tokenId())).containsExactly(0, 0);
        service()
                .get()
                .uri("/internal/v1/grants/{id}", grant.grantId())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo("released");
    }

    @Test
    void internalGrantViewHasItemsBytesAndBudget() {
        Link link = link(1000, 3);
        DownloadGranted grant = granted(redeem(link.token(), "ua"));
        completed(grant, link.fileId(), 0, 250, 1000);
        await().atMost(KAFKA).until(() -> bytesDelivered(grant) == 250);

        service()
                .get()
                .uri("/internal/v1/grants/{id}", grant.grantId())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.grantId")
                .isEqualTo(grant.grantId().toString())
                .jsonPath("$.tokenId")
                .isEqualTo(grant.tokenId().toString())
                .jsonPath("$.status")
                .isEqualTo("active")
                .jsonPath("$.items[0].fileId")
                .isEqualTo(link.fileId().toString())
                .jsonPath("$.items[0].objectKey")
                .isEqualTo("files/" + link.fileId())
                .jsonPath("$.bytesDelivered")
                .isEqualTo(250)
                .jsonPath("$.byteBudget")
                .isEqualTo(4000);
        service()
                .get()
                .uri("/internal/v1/grants/{id}", UUID.randomUUID())
                .exchange()
                .expectStatus()
                .isNotFound();
        web.get()
                .uri("/internal/v1/grants/{id}", grant.grantId())
                .exchange()
                .expectStatus()
                .isUnauthorized();
        admin().get()
                .uri("/internal/v1/grants/{id}", grant.grantId())
                .exchange()
                .expectStatus()
                .isUnauthorized();
    }

    private long bytesDelivered(DownloadGranted grant) {
        return db.sql("SELECT bytes_delivered FROM token WHERE id = :id")
                .bind("id", grant.tokenId())
                .map(row -> row.get(0, Long.class))
                .one()
                .block(KAFKA);
    }

    private Link link(long size, int maxDownloads) {
        String sku = unique("sku");
        UUID fileId = productWithOneFile(sku, size);
        String token =
                (String) issue(Map.of("customer_email", "d@example.com", "product", sku, "max_downloads", maxDownloads))
                        .get("token");
        return new Link(token, fileId);
    }

    record Link(String token, UUID fileId) {}
}
