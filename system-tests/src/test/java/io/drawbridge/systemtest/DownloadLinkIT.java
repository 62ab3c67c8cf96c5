package io.drawbridge.systemtest;

import static io.drawbridge.systemtest.Drawbridge.json;
import static io.drawbridge.systemtest.Drawbridge.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.systemtest.Drawbridge.Link;
import io.drawbridge.systemtest.Drawbridge.StoredFile;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * A link's life as a seller and a customer see it, end to end through every service: upload, release, issue, landing
 * page, redeem, download, resume, exhaustion, revocation.
 */
@ExtendWith(SystemUnderTest.class)
class DownloadLinkIT {

    private static final Duration SETTLED = Duration.ofSeconds(20);

    @Test
    void aOneDownloadLinkSurvivesPageViewsDeliversTheExactFileOnceAndThenRefuses(Drawbridge drawbridge) {
        byte[] content = Drawbridge.content(3 * 1024 * 1024 + 17, 1);
        StoredFile file = drawbridge.upload("installer-3mib.bin", content);
        assertThat(file.sha256()).isEqualTo(sha256(content));
        Link link = drawbridge.issue(drawbridge.productWith(file), "buyer-1@example.com", 1);

        for (int i = 0; i < 20; i++) {
            HttpResponse<String> page = drawbridge.landing(link.token(), "GET");
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            assertThat(page.body()).contains("installer-3mib.bin");
            assertThat(drawbridge.landing(link.token(), "HEAD").statusCode()).isEqualTo(200);
        }
        JsonNode uses = drawbridge.uses(link.tokenId());
        assertThat(uses.get("consumed").asInt()).isZero();
        assertThat(uses.get("reserved").asInt()).isZero();

        String grant = drawbridge.grantPath(link.token(), "customer-browser/1.0");
        HttpResponse<byte[]> download = drawbridge.download(grant, "customer-browser/1.0", null);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).hasSize(content.length);
        assertThat(sha256(download.body())).isEqualTo(file.sha256());

        await("the download is settled as one consumed use").atMost(SETTLED).untilAsserted(() -> {
            JsonNode settled = drawbridge.uses(link.tokenId());
            assertThat(settled.get("consumed").asInt()).isEqualTo(1);
            assertThat(settled.get("reserved").asInt()).isZero();
        });
        HttpResponse<String> again = drawbridge.redeem(link.token(), "someone-else/2.0");
        assertThat(again.statusCode()).isEqualTo(429);
        HttpResponse<String> againJson = drawbridge.redeemJson(link.token(), "someone-else/2.0");
        assertThat(againJson.statusCode()).isEqualTo(429);
        assertThat(json(againJson).get("error").asString()).isEqualTo("usage_limit_exceeded");

        await("DownloadCompleted and TokenExhausted on Kafka").atMost(SETTLED).untilAsserted(() -> {
            assertThat(drawbridge.events().ofType("DownloadCompleted"))
                    .filteredOn(event -> link.tokenId().equals(event.field("tokenId")))
                    .singleElement()
                    .satisfies(event -> {
                        assertThat(event.json().get("rangeStart").asLong()).isZero();
                        assertThat(event.json().get("bytesSent").asLong()).isEqualTo(content.length);
                    });
            assertThat(drawbridge.events().ofType("TokenExhausted"))
                    .filteredOn(event -> link.tokenId().equals(event.field("tokenId")))
                    .hasSize(1);
        });
        assertThat(drawbridge.events().all())
                .as("no event carries the plaintext token")
                .noneMatch(event -> event.value().contains(link.token()));
    }

    @Test
    void anInterruptedDownloadResumesWithARangeAndUsesExactlyOneDownload(Drawbridge drawbridge) throws Exception {
        // Larger than what the gateway's socket send buffer and Netty's outbound queue can hold together, so that
        // the first response is really cut short rather than handed whole to the kernel before the client hangs up.
        byte[] content = Drawbridge.content(24 * 1024 * 1024, 2);
        StoredFile file = drawbridge.upload("big-24mib.bin", content);
        Link link = drawbridge.issue(drawbridge.productWith(file), "buyer-2@example.com", 2);
        String agent = "flaky-wifi-client/1.0";
        String grant = drawbridge.grantPath(link.token(), agent);

        byte[] head = drawbridge.downloadAndDrop(grant, agent, 1024 * 1024);
        HttpResponse<byte[]> rest = drawbridge.download(grant, agent, "bytes=" + head.length + "-");

        assertThat(rest.statusCode()).isEqualTo(206);
        assertThat(rest.headers().firstValue("Content-Range"))
                .hasValue("bytes " + head.length + "-" + (content.length - 1) + "/" + content.length);
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        whole.writeBytes(head);
        whole.writeBytes(rest.body());
        assertThat(sha256(whole.toByteArray())).isEqualTo(sha256(content));
        await("the resumed download is settled as exactly one use")
                .atMost(SETTLED)
                .untilAsserted(() -> {
                    JsonNode uses = drawbridge.uses(link.tokenId());
                    assertThat(uses.get("consumed").asInt()).isEqualTo(1);
                    assertThat(uses.get("reserved").asInt()).isZero();
                    assertThat(uses.get("remaining").asInt()).isEqualTo(1);
                });
        // The test's own Kafka consumer may read downloads.v1 later than token-service did: wait for it too.
        await("the broken-off response was reported on Kafka").atMost(SETTLED).untilAsserted(() -> assertThat(
                        drawbridge.events().ofType("DownloadFailed"))
                .filteredOn(event -> link.tokenId().equals(event.field("tokenId")))
                .singleElement()
                .satisfies(event -> {
                    assertThat(event.json().get("rangeStart").asLong()).isZero();
                    assertThat(event.json().get("bytesSent").asLong())
                            .isBetween((long) head.length, (long) content.length);
                }));
    }

    @Test
    void anInterruptedDownloadCannotBeFinishedWithTheUseAnotherClientTookMeanwhile(Drawbridge drawbridge)
            throws Exception {
        byte[] content = Drawbridge.content(24 * 1024 * 1024, 4);
        StoredFile file = drawbridge.upload("contested-24mib.bin", content);
        Link link = drawbridge.issue(drawbridge.productWith(file), "buyer-4@example.com", 1);
        String first = drawbridge.grantPath(link.token(), "laptop-browser/1.0");
        byte[] head = drawbridge.downloadAndDrop(first, "laptop-browser/1.0", 1024 * 1024);
        // The broken download gives its use back: the link is not burnt by a failure.
        await("the interrupted download gave its use back").atMost(SETTLED).untilAsserted(() -> assertThat(
                        drawbridge.uses(link.tokenId()).get("reserved").asInt())
                .isZero());

        String second = drawbridge.grantPath(link.token(), "phone-browser/1.0");
        HttpResponse<byte[]> whole = drawbridge.download(second, "phone-browser/1.0", null);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(sha256(whole.body())).isEqualTo(file.sha256());

        HttpResponse<byte[]> resumed = drawbridge.download(first, "laptop-browser/1.0", "bytes=" + head.length + "-");
        assertThat(resumed.statusCode())
                .as("the first client resumes after the link's only use went elsewhere")
                .isEqualTo(429);
        assertThat(new String(resumed.body())).contains("\"usage_limit_exceeded\"");
        await("one download consumed the link's one use").atMost(SETTLED).untilAsserted(() -> {
            JsonNode uses = drawbridge.uses(link.tokenId());
            assertThat(uses.get("consumed").asInt()).isEqualTo(1);
            assertThat(uses.get("reserved").asInt()).isZero();
        });
    }

    @Test
    void twelveParallelDownloadsOfOneGrantGiveOneCopyAndClearRefusals(Drawbridge drawbridge) throws Exception {
        byte[] content = Drawbridge.content(4 * 1024 * 1024 + 5, 5);
        StoredFile file = drawbridge.upload("launch-day.bin", content);
        Link link = drawbridge.issue(drawbridge.productWith(file), "buyer-5@example.com", 1);
        String agent = "impatient-browser/1.0";
        String grant = drawbridge.grantPath(link.token(), agent);

        List<HttpResponse<byte[]>> responses = inParallel(12, i -> drawbridge.download(grant, agent, null));

        assertThat(responses)
                .as("complete copies")
                .filteredOn(r -> r.statusCode() == 200 && sha256(r.body()).equals(file.sha256()))
                .hasSize(1);
        assertThat(responses).filteredOn(r -> r.statusCode() != 200).hasSize(11).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(new String(r.body())).contains("\"usage_limit_exceeded\"");
        });
        // A plain "Range: bytes=0-" after the download completed is no second copy either.
        assertThat(drawbridge.download(grant, agent, "bytes=0-").statusCode()).isEqualTo(429);
        await("one download consumed the link's one use").atMost(SETTLED).untilAsserted(() -> {
            JsonNode uses = drawbridge.uses(link.tokenId());
            assertThat(uses.get("consumed").asInt()).isEqualTo(1);
            assertThat(uses.get("reserved").asInt()).isZero();
        });
    }

    @Test
    void aDownloadManagersParallelSegmentsMakeOneDownload(Drawbridge drawbridge) throws Exception {
        byte[] content = Drawbridge.content(6 * 1024 * 1024 + 7, 6);
        StoredFile file = drawbridge.upload("segmented.bin", content);
        Link link = drawbridge.issue(drawbridge.productWith(file), "buyer-6@example.com", 1);
        String agent = "download-manager/1.0";
        String grant = drawbridge.grantPath(link.token(), agent);
        int segments = 4;
        long segment = (content.length + segments - 1) / segments;

        List<HttpResponse<byte[]>> parts = inParallel(
                segments,
                i -> drawbridge.download(
                        grant,
                        agent,
                        "bytes=" + i * segment + "-" + (Math.min(content.length, (i + 1) * segment) - 1)));

        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        for (HttpResponse<byte[]> part : parts) {
            assertThat(part.statusCode()).isEqualTo(206);
            whole.writeBytes(part.body());
        }
        assertThat(sha256(whole.toByteArray())).isEqualTo(file.sha256());
        await("the segments are settled as one use").atMost(SETTLED).untilAsserted(() -> {
            JsonNode uses = drawbridge.uses(link.tokenId());
            assertThat(uses.get("consumed").asInt()).isEqualTo(1);
            assertThat(uses.get("reserved").asInt()).isZero();
        });
    }

    /** {@code n} calls at once (each on its own thread, released together); their results in call order. */
    private static <T> List<T> inParallel(int n, java.util.function.IntFunction<T> call) throws Exception {
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            List<java.util.concurrent.Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.apply(index);
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (java.util.concurrent.Future<T> future : futures) {
                results.add(future.get(2, java.util.concurrent.TimeUnit.MINUTES));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRevokedLinkShowsGoneAndItsGrantStopsServing(Drawbridge drawbridge) {
        StoredFile file = drawbridge.upload("revoked.bin", Drawbridge.content(256 * 1024, 3));
        Link link = drawbridge.issue(drawbridge.productWith(file), "buyer-3@example.com", 3);
        String agent = "customer-browser/1.0";
        String grant = drawbridge.grantPath(link.token(), agent);

        drawbridge.revoke(link.tokenId(), "refunded");

        List<Integer> pages = new ArrayList<>();
        pages.add(drawbridge.landing(link.token(), "GET").statusCode());
        pages.add(drawbridge.landing(link.token(), "HEAD").statusCode());
        pages.add(drawbridge.redeem(link.token(), agent).statusCode());
        assertThat(pages).containsOnly(410);
        HttpResponse<byte[]> download = drawbridge.download(grant, agent, null);
        assertThat(download.statusCode()).isEqualTo(410);
        assertThat(new String(download.body())).contains("\"token_revoked\"");
        assertThat(drawbridge.token(link.tokenId()).get("status").asString()).isEqualTo("revoked");
    }
}
