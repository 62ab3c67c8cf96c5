package io.drawbridge.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.events.ArchiveKind;
import io.drawbridge.events.DownloadGranted;
import io.drawbridge.events.GrantOutcome;
import io.drawbridge.events.GrantSettled;
import io.drawbridge.events.TokenExhausted;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Byte leases: the gateway leases every window before it sends it and ends the lease with what it sent; that alone
 * limits what a link delivers and settles its grants (consumed, given back, released), whatever the responses race.
 */
class DeliveryIT extends TokenServiceTestBase {

    @Test
    void completionAcrossTwoRangesConsumesTheUseOnceAndASecondWholeCopyIsRefused() {
        Link link = link(1000, 3);
        DownloadGranted grant = granted(redeem(link.token(), "aria2"));

        completed(grant, link.fileId(), 0, 400, 1000);
        assertThat(grantStatus(grant.grantId())).isEqualTo("active");
        assertThat(uses(grant.tokenId())).containsExactly(0, 1);

        completed(grant, link.fileId(), 400, 600, 1000);
        assertThat(grantStatus(grant.grantId())).isEqualTo("completed");
        assertThat(uses(grant.tokenId())).containsExactly(1, 0);
        assertThat(bytesDelivered(grant)).isEqualTo(1000);

        // Range: bytes=0- after the download completed: not a second copy from the same grant.
        tryLease(grant, link.fileId(), null, 1000, 0, 1000, 1000)
                .expectStatus()
                .isEqualTo(409)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("already_delivered");
        // A piece fetched again (a download manager re-checking a segment) is within the resend allowance.
        completed(grant, link.fileId(), 900, 100, 1000);
        assertThat(uses(grant.tokenId())).containsExactly(1, 0);
    }

    @Test
    void parallelReadsOfTheSameBytesGetOneStreamAndDisjointSegmentsAllRun() {
        Link link = link(1000, 1);
        DownloadGranted grant = granted(redeem(link.token(), "curl"));

        UUID first = lease(grant, link.fileId(), null, 1000, 0, 250);
        for (int i = 0; i < 3; i++) {
            tryLease(grant, link.fileId(), null, 1000, 0, 250, 1000)
                    .expectStatus()
                    .isEqualTo(409)
                    .expectBody()
                    .jsonPath("$.error")
                    .isEqualTo("range_in_use");
        }
        UUID second = lease(grant, link.fileId(), null, 1000, 600, 1000);

        // The first stream asks for the rest of the file: it gets the bytes up to where the second began, and not a
        // byte more once it is there.
        extend(first, 1000)
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.leasedEnd")
                .isEqualTo(600);
        extend(first, 750)
                .expectStatus()
                .isEqualTo(409)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("range_in_use");
        endLease(first, 600, false);
        assertThat(uses(grant.tokenId())).containsExactly(0, 1); // the other segment still runs
        endLease(second, 400, true);

        assertThat(grantStatus(grant.grantId())).isEqualTo("completed");
        assertThat(uses(grant.tokenId())).containsExactly(1, 0);
        assertThat(bytesLeased(grant)).isEqualTo(1000);
    }

    @Test
    void anExtensionAskedAgainAnswersTheLeaseAsItStands() {
        Link link = link(1000, 1);
        DownloadGranted grant = granted(redeem(link.token(), "curl"));
        UUID lease = lease(grant, link.fileId(), null, 1000, 0, 250);

        for (long asked : new long[] {600, 600, 400}) {
            extend(lease, asked)
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .jsonPath("$.leasedEnd")
                    .isEqualTo(600);
        }
        extend(lease, 1001).expectStatus().isBadRequest();
    }

    @Test
    void aLeaseTheGatewayStoppedWaitingForIsRefusedAndOneItNamedCanBeEndedByThatName() {
        Link link = link(1000, 1);
        DownloadGranted grant = granted(redeem(link.token(), "curl"));
        Map<String, Object> late =
                leaseBody(link.fileId(), UUID.randomUUID(), clock.instant().minusSeconds(1));

        // The gateway gave up (and answered its client 503) before token-service got to it: nothing is leased, so
        // the client's next try is not refused as "in use" by a lease nobody sends.
        service()
                .post()
                .uri("/internal/v1/grants/{id}/leases", grant.grantId())
                .bodyValue(late)
                .exchange()
                .expectStatus()
                .isEqualTo(503)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("answer_too_late");
        assertThat(count("SELECT count(*) FROM byte_lease WHERE grant_id = :id", grant.grantId()))
                .isZero();

        // A lease granted under the gateway's name, whose answer the gateway then missed, is ended by that name.
        UUID named = UUID.randomUUID();
        service()
                .post()
                .uri("/internal/v1/grants/{id}/leases", grant.grantId())
                .bodyValue(leaseBody(link.fileId(), named, clock.instant().plusSeconds(60)))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody()
                .jsonPath("$.leaseId")
                .isEqualTo(named.toString());
        endLease(named, 0, false);
        assertThat(uses(grant.tokenId())).containsExactly(0, 0);
        lease(grant, link.fileId(), null, 1000, 0, 1000);
        assertThat(uses(grant.tokenId())).containsExactly(0, 1);
    }

    private static Map<String, Object> leaseBody(UUID fileId, UUID leaseId, Instant answerBy) {
        return Map.of(
                "target", fileId,
                "targetSize", 1000,
                "start", 0,
                "end", 1000,
                "responseEnd", 1000,
                "leaseId", leaseId,
                "answerBy", answerBy);
    }

    @Test
    void aResumeMaySendAgainWhatWasLostInFlightButNotASecondCopy() {
        Link link = link(1000, 1); // resend allowance: half the file
        DownloadGranted grant = granted(redeem(link.token(), "curl"));

        failed(grant, link.fileId(), 0, 800, 1000); // the client kept only 600 of them
        completed(grant, link.fileId(), 600, 400, 1000);
        assertThat(grantStatus(grant.grantId())).isEqualTo("completed");

        tryLease(grant, link.fileId(), null, 1000, 0, 400, 1000)
                .expectStatus()
                .isEqualTo(409)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("already_delivered");
    }

    @Test
    void failedDownloadGivesItsUseBackAndTheGrantCanBeResumed() {
        Link link = link(1000, 1);
        DownloadGranted grant = granted(redeem(link.token(), "browser"));

        failed(grant, link.fileId(), 0, 300, 1000);
        assertThat(grantStatus(grant.grantId())).isEqualTo("active");
        assertThat(uses(grant.tokenId())).containsExactly(0, 0);

        DownloadGranted resumed = granted(redeem(link.token(), "browser"));
        assertThat(resumed.grantId()).isEqualTo(grant.grantId());
        assertThat(resumed.reused()).isTrue();
        assertThat(uses(grant.tokenId())).containsExactly(0, 1);

        completed(grant, link.fileId(), 300, 700, 1000);
        assertThat(grantStatus(grant.grantId())).isEqualTo("completed");
        assertThat(uses(grant.tokenId())).containsExactly(1, 0);
    }

    @Test
    void aFailedDownloadDoesNotBurnTheLink() {
        Link link = link(1000, 1);
        DownloadGranted grant = granted(redeem(link.token(), "first-browser"));

        failed(grant, link.fileId(), 0, 10, 1000);

        DownloadGranted another = granted(redeem(link.token(), "second-browser"));
        assertThat(another.grantId()).isNotEqualTo(grant.grantId());
        completed(another, link.fileId(), 0, 1000, 1000);
        assertThat(uses(grant.tokenId())).containsExactly(1, 0);
    }

    @Test
    void resumingAGrantThatGaveItsUseBackTakesAUseAgain() {
        Link link = link(1000, 1);
        DownloadGranted grant = granted(redeem(link.token(), "curl"));
        failed(grant, link.fileId(), 0, 300, 1000);
        assertThat(uses(grant.tokenId())).containsExactly(0, 0);

        UUID resume = lease(grant, link.fileId(), null, 1000, 300, 600);
        assertThat(uses(grant.tokenId())).containsExactly(0, 1);
        // A parallel segment of the same resume takes nothing more.
        UUID segment = lease(grant, link.fileId(), null, 1000, 600, 1000);
        assertThat(uses(grant.tokenId())).containsExactly(0, 1);

        endLease(resume, 300, true);
        endLease(segment, 400, true);
        assertThat(grantStatus(grant.grantId())).isEqualTo("completed");
        assertThat(uses(grant.tokenId())).containsExactly(1, 0);
    }

    @Test
    void anInterruptedDownloadCannotBeFinishedWithTheUseAnotherDownloadTook() {
        Link link = link(1000, 1);
        DownloadGranted first = granted(redeem(link.token(), "first-browser"));
        failed(first, link.fileId(), 0, 300, 1000);
        DownloadGranted second = granted(redeem(link.token(), "second-browser"));
        assertThat(second.grantId()).isNotEqualTo(first.grantId());

        tryLease(first, link.fileId(), null, 1000, 300, 1000, 1000)
                .expectStatus()
                .isEqualTo(409)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("usage_limit_exceeded");
        assertThat(uses(first.tokenId())).containsExactly(0, 1);
    }

    @Test
    void theLinksByteBudgetStopsACopyAssembledFromGrantsThatGaveTheirUsesBack() {
        Link link = link(1000, 1); // budget: 1 × 1000 + 500
        DownloadGranted first = granted(redeem(link.token(), "first-browser"));
        failed(first, link.fileId(), 0, 500, 1000);
        DownloadGranted second = granted(redeem(link.token(), "second-browser"));
        completed(second, link.fileId(), 500, 500, 1000); // the customer now holds both halves
        assertThat(grantStatus(second.grantId())).isEqualTo("active");

        // A whole copy more would take 1000 of the 500 bytes left (the resend allowance).
        tryLease(second, link.fileId(), null, 1000, 0, 1000, 1000)
                .expectStatus()
                .isEqualTo(409)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("byte_budget_spent");
        assertThat(bytesLeased(second)).isEqualTo(1000);
    }

    @Test
    void revokedLinksGrantsLeaseNothing() {
        Link link = link(1000, 1);
        DownloadGranted grant = granted(redeem(link.token(), "ua"));
        admin().post()
                .uri("/api/v1/tokens/{id}/revoke", grant.tokenId())
                .bodyValue(Map.of("reason", "refunded"))
                .exchange()
                .expectStatus()
                .isOk();

        tryLease(grant, link.fileId(), null, 1000, 0, 1000, 1000)
                .expectStatus()
                .isEqualTo(410)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("token_revoked");
        await().atMost(KAFKA).until(() -> settled(grant).isPresent());
        assertThat(settled(grant).orElseThrow().outcome()).isEqualTo(GrantOutcome.REVOKED);
    }

    @Test
    void aLeaseThatDoesNotFitItsGrantIsRefused() {
        Link link = link(1000, 1);
        DownloadGranted grant = granted(redeem(link.token(), "ua"));

        tryLease(grant, link.fileId(), null, 999, 0, 999, 999).expectStatus().isBadRequest();
        tryLease(grant, UUID.randomUUID(), null, 1000, 0, 10, 10).expectStatus().isBadRequest();
        tryLease(grant, link.fileId(), null, 1000, 10, 10, 10).expectStatus().isBadRequest();
        tryLease(grant, null, ArchiveKind.STREAMED, 1000, 0, 10, 10)
                .expectStatus()
                .isBadRequest();
        service()
                .post()
                .uri("/internal/v1/grants/{id}/leases", UUID.randomUUID())
                .bodyValue(Map.of("target", link.fileId(), "targetSize", 1000, "start", 0, "end", 10))
                .exchange()
                .expectStatus()
                .isNotFound();
        web.post()
                .uri("/internal/v1/grants/{id}/leases", grant.grantId())
                .bodyValue(Map.of("target", link.fileId(), "targetSize", 1000, "start", 0, "end", 10))
                .exchange()
                .expectStatus()
                .isUnauthorized();
        assertThat(uses(grant.tokenId())).containsExactly(0, 1);
        assertThat(bytesLeased(grant)).isZero();
    }

    @Test
    void lastCompletedDownloadExhaustsTheTokenAndPublishesTheGrantsOutcome() {
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
        await().atMost(KAFKA).until(() -> settled(grant).isPresent());
        GrantSettled settled = settled(grant).orElseThrow();
        assertThat(settled.outcome()).isEqualTo(GrantOutcome.COMPLETED);
        assertThat(settled.bytesSent()).isEqualTo(50);
        assertThat(settled.downloadSize()).isEqualTo(50);
        assertThat(settled.archive()).isNull();
        assertThat(settled.downloadsConsumed())
                .as("the link's first download, as token-service counted it")
                .isEqualTo(1);
    }

    @Test
    void zipStreamedWithoutALengthCompletesAMultiFileGrantOnlyWhenDeliveredWhole() {
        DownloadGranted grant = bundle(10, 20);

        // A streamed ZIP is leased as the items' total (30); one that broke off leaves nothing the customer can keep.
        endLease(lease(grant, null, ArchiveKind.STREAMED, 30, 0, 30), 29, false);
        assertThat(grantStatus(grant.grantId())).isEqualTo("active");
        assertThat(uses(grant.tokenId())).containsExactly(0, 0);

        // Deflated: fewer archive bytes than the items' total size.
        endLease(lease(grant, null, ArchiveKind.STREAMED, 30, 0, 30), 25, true);

        assertThat(grantStatus(grant.grantId())).isEqualTo("completed");
        assertThat(uses(grant.tokenId())).containsExactly(1, 0);
        await().atMost(KAFKA).until(() -> settled(grant).isPresent());
        assertThat(settled(grant).orElseThrow().archive()).isEqualTo(ArchiveKind.STREAMED);
    }

    @Test
    void zipLaidOutUpFrontIsSettledWhenItsSentRangesCoverTheWholeArchive() {
        DownloadGranted grant = bundle(10, 20);
        long archive = 30 + 250; // the archive's exact length: more than the items' total (its headers)

        endLease(lease(grant, null, ArchiveKind.LAID_OUT, archive, 100, archive), archive - 100, true);
        assertThat(grantStatus(grant.grantId())).isEqualTo("active");

        // A response of the first bytes broke off after 60: the use goes back, the grant stays resumable.
        endLease(lease(grant, null, ArchiveKind.LAID_OUT, archive, 0, 100), 60, false);
        assertThat(uses(grant.tokenId())).containsExactly(0, 0);

        endLease(lease(grant, null, ArchiveKind.LAID_OUT, archive, 60, 100), 40, true);

        assertThat(grantStatus(grant.grantId())).isEqualTo("completed");
        assertThat(uses(grant.tokenId())).containsExactly(1, 0);
        assertThat(bytesDelivered(grant)).isEqualTo(archive);
        // The ZIP's size must fit its items: more than their total, within the headers' bound.
        tryLease(grant, null, ArchiveKind.LAID_OUT, 30 + 10_000, 0, 10, 10)
                .expectStatus()
                .isBadRequest();
    }

    @Test
    void grantThatExpiresUndeliveredIsReleasedBySweep() {
        Link link = link(100, 1);
        DownloadGranted grant = granted(redeem(link.token(), "ua"));
        completed(grant, link.fileId(), 0, 10, 100);

        clock.advance(Duration.ofMinutes(61));

        await().atMost(KAFKA).until(() -> "released".equals(grantStatus(grant.grantId())));
        assertThat(uses(grant.tokenId())).containsExactly(0, 0);
        await().atMost(KAFKA).until(() -> settled(grant).isPresent());
        assertThat(settled(grant).orElseThrow().outcome()).isEqualTo(GrantOutcome.RELEASED);
        tryLease(grant, link.fileId(), null, 100, 10, 100, 100)
                .expectStatus()
                .isEqualTo(410)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("token_expired");
    }

    @Test
    void aGrantWhoseGatewayVanishedMidStreamIsSettledByWhatItLeased() {
        Link link = link(100, 1);
        DownloadGranted grant = granted(redeem(link.token(), "ua"));
        lease(grant, link.fileId(), null, 100, 0, 100); // never ended: the gateway died

        clock.advance(Duration.ofMinutes(61));

        await().atMost(KAFKA).until(() -> "completed".equals(grantStatus(grant.grantId())));
        assertThat(uses(grant.tokenId())).containsExactly(1, 0);
    }

    @Test
    void internalGrantViewHasItemsBytesAndBudget() {
        Link link = link(1000, 3);
        DownloadGranted grant = granted(redeem(link.token(), "ua"));
        completed(grant, link.fileId(), 0, 250, 1000);

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
                // 3 downloads × 1000 bytes, and a resend allowance of half of one
                .jsonPath("$.byteBudget")
                .isEqualTo(3500);
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

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec extend(UUID leaseId, long end) {
        return service()
                .patch()
                .uri("/internal/v1/leases/{id}", leaseId)
                .bodyValue(Map.of("leasedEnd", end))
                .exchange();
    }

    private java.util.Optional<GrantSettled> settled(DownloadGranted grant) {
        return collected.eventsOf(grant.tokenId()).stream()
                .filter(GrantSettled.class::isInstance)
                .map(GrantSettled.class::cast)
                .filter(settled -> settled.grantId().equals(grant.grantId()))
                .findFirst();
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

    private long bytesDelivered(DownloadGranted grant) {
        return tokenColumn(grant, "bytes_delivered");
    }

    private long bytesLeased(DownloadGranted grant) {
        return tokenColumn(grant, "bytes_leased");
    }

    private long tokenColumn(DownloadGranted grant, String column) {
        return db.sql("SELECT " + column + " FROM token WHERE id = :id")
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
