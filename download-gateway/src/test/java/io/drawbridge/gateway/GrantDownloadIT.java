package io.drawbridge.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.events.DownloadCompleted;
import io.drawbridge.events.DownloadFailed;
import io.drawbridge.events.GrantedItem;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

class GrantDownloadIT extends GatewayIntegrationSupport {

    @Autowired
    MeterRegistry meters;

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @Test
    void aFullDownloadIsTheStoredFileByteForByte() throws Exception {
        GrantedItem big = TestObjects.big;
        Grant grant = grant("active", List.of(big));

        HttpResponse<InputStream> response = get(grant.path(), Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(big.size());
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(response.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(response.headers().firstValue("ETag")).hasValue("\"" + big.sha256() + "\"");
        assertThat(response.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"_n_code big file.bin\"; "
                        + "filename*=UTF-8''%C3%9Cn%C3%AFcode%20big%20file.bin");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(sha256(response.body())).isEqualTo(big.sha256());

        DownloadCompleted completed = awaitOne(DownloadCompleted.class, grant);
        assertThat(completed.tokenId()).isEqualTo(grant.tokenId());
        assertThat(completed.fileId()).isEqualTo(big.fileId());
        assertThat(completed.rangeStart()).isZero();
        assertThat(completed.bytesSent()).isEqualTo(big.size());
        assertThat(completed.totalSize()).isEqualTo(big.size());
        assertThat(completed.clientIp()).isEqualTo(clientIp);
        assertThat(completed.platform()).isEqualTo("linux");
    }

    @Test
    void aRangeIsServedAsPartialContent() throws Exception {
        Grant grant = grant("active", List.of(TestObjects.big));

        HttpResponse<byte[]> response = getBytes(grant.path(), Map.of("Range", "bytes=1000000-1000099"));

        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.headers().firstValue("Content-Range"))
                .hasValue("bytes 1000000-1000099/" + TestObjects.BIG_SIZE);
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(100);
        assertThat(response.body()).isEqualTo(TestObjects.bigSlice(1_000_000, 100));

        DownloadCompleted completed = awaitOne(DownloadCompleted.class, grant);
        assertThat(completed.rangeStart()).isEqualTo(1_000_000);
        assertThat(completed.bytesSent()).isEqualTo(100);
        assertThat(completed.totalSize()).isEqualTo(TestObjects.BIG_SIZE);
    }

    @Test
    void aResumedDownloadGetsTheRemainingBytesAndCompletesTheFile() throws Exception {
        GrantedItem big = TestObjects.big;
        Grant grant = grant("active", List.of(big));
        long already = 5_000_000;
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(TestObjects.bigSlice(0, (int) already));

        HttpResponse<InputStream> response =
                get(grant.path(), Map.of("Range", "bytes=" + already + "-", "If-Range", "\"" + big.sha256() + "\""));

        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.headers().firstValue("Content-Range"))
                .hasValue("bytes " + already + "-" + (big.size() - 1) + "/" + big.size());
        try (InputStream body = response.body()) {
            body.transferTo(new DigestingSink(sha));
        }
        assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(big.sha256());
        assertThat(awaitOne(DownloadCompleted.class, grant).bytesSent()).isEqualTo(big.size() - already);
    }

    @Test
    void suffixRangesServeTheEndOfTheFile() throws Exception {
        Grant grant = grant("active", List.of(TestObjects.big));

        HttpResponse<byte[]> response = getBytes(grant.path(), Map.of("Range", "bytes=-10"));

        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.body()).isEqualTo(TestObjects.bigSlice(TestObjects.BIG_SIZE - 10, 10));
    }

    @Test
    void aRangeBeyondTheFileIsUnsatisfiable() throws Exception {
        Grant grant = grant("active", List.of(TestObjects.big));

        HttpResponse<byte[]> response = getBytes(grant.path(), Map.of("Range", "bytes=" + TestObjects.BIG_SIZE + "-"));

        assertThat(response.statusCode()).isEqualTo(416);
        assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes */" + TestObjects.BIG_SIZE);
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void malformedAndMultipleRangesGetTheWholeFile() throws Exception {
        for (String range : List.of("bytes=abc", "bytes=0-1,5-6", "pages=1-2", "bytes=9-3")) {
            Grant grant = grant("active", List.of(TestObjects.tool));

            HttpResponse<InputStream> response = get(grant.path(), Map.of("Range", range));

            assertThat(response.statusCode()).as(range).isEqualTo(200);
            assertThat(sha256(response.body())).as(range).isEqualTo(TestObjects.tool.sha256());
        }
    }

    @Test
    void aRangeForAnotherVersionOfTheFileGetsTheWholeFile() throws Exception {
        Grant grant = grant("active", List.of(TestObjects.tool));

        HttpResponse<InputStream> response =
                get(grant.path(), Map.of("Range", "bytes=100-", "If-Range", "\"" + "ab".repeat(32) + "\""));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(sha256(response.body())).isEqualTo(TestObjects.tool.sha256());
    }

    @Test
    void headAnswersWithTheHeadersOnlyAndReportsNothing() throws Exception {
        Grant grant = grant("active", List.of(TestObjects.big));

        HttpResponse<Void> response = client.send(
                request(grant.path(), Map.of())
                        .method("HEAD", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.discarding());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(TestObjects.BIG_SIZE);
        assertThat(response.headers().firstValue("ETag")).isPresent();
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(2))
                .until(() -> tokenService.downloadsFor(grant.grantId()).isEmpty());
    }

    @Test
    void aClientThatGoesAwayIsReportedAsAFailedDownloadWithTheBytesSent() throws Exception {
        Grant grant = grant("active", List.of(TestObjects.big));

        try (Socket socket = new Socket()) {
            // A small receive window: loopback buffers could otherwise take all 16 MiB before the client hangs up.
            socket.setReceiveBufferSize(64 * 1024);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + grant.path() + " HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: " + clientIp
                            + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] received = socket.getInputStream().readNBytes(512 * 1024);
            assertThat(new String(received, 0, 12, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
            socket.setSoLinger(true, 0); // reset, like a browser tab closed mid-download
        }

        DownloadFailed failed = awaitOne(DownloadFailed.class, grant);
        assertThat(failed.reason()).isEqualTo("client_aborted");
        assertThat(failed.bytesSent()).isPositive().isLessThan(TestObjects.BIG_SIZE);
        assertThat(failed.totalSize()).isEqualTo(TestObjects.BIG_SIZE);
        assertThat(tokenService.downloads(DownloadCompleted.class, grant.grantId()))
                .isEmpty();
    }

    @Test
    void aClientThatStopsReadingHoldsOnlyWhatTheSocketsTakeNotTheFile() throws Exception {
        Grant grant = grant("active", List.of(TestObjects.big));
        Counter handedOver = meters.counter("drawbridge.download.bytes", "platform", "linux");
        double before = handedOver.count();

        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(64 * 1024);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + grant.path() + " HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: " + clientIp
                            + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] head = socket.getInputStream().readNBytes(12);
            assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
            await().atMost(Duration.ofSeconds(15)).until(() -> handedOver.count() > before);

            // The client reads no more. What the gateway takes from S3 and hands over is what the sockets hold
            // (the server's send buffer, up to 4 MiB on loopback, and this 64 KiB window) plus a few buffers; without
            // back-pressure on the connection's writability it took the whole 16 MiB file into memory at once.
            await().during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> handedOver.count() - before < 6 * 1024 * 1024);
            socket.setSoLinger(true, 0);
        }
        assertThat(awaitOne(DownloadFailed.class, grant).reason()).isEqualTo("client_aborted");
    }

    @Test
    void aZipOfChecksummedItemsHasALengthAndAnETagAndAnInterruptedDownloadResumesToTheSameArchive() throws Exception {
        // The big item makes the archive larger than what the gateway's socket send buffer (up to 4 MiB on loopback)
        // and the client's small receive window can hold, so the first attempt is really cut short.
        List<GrantedItem> items = List.of(
                TestObjects.checksummed(TestObjects.readme),
                TestObjects.checksummed(TestObjects.big),
                TestObjects.checksummed(TestObjects.tool),
                TestObjects.checksummed(TestObjects.otherTool));
        Grant grant = grant("active", items);

        HttpResponse<Void> head = client.send(
                request(grant.path(), Map.of())
                        .method("HEAD", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Type")).hasValue("application/zip");
        assertThat(head.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        long length = head.headers().firstValueAsLong("Content-Length").orElseThrow();
        String etag = head.headers().firstValue("ETag").orElseThrow();
        assertThat(length)
                .isGreaterThan(items.stream().mapToLong(GrantedItem::size).sum());

        // The first attempt breaks off part-way (a browser tab closed, a network drop).
        byte[] firstPart;
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(64 * 1024);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + grant.path() + " HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: " + clientIp
                            + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] received = socket.getInputStream().readNBytes(700 * 1024);
            String head1 = new String(received, 0, 12, StandardCharsets.US_ASCII);
            assertThat(head1).isEqualTo("HTTP/1.1 200");
            int bodyStart = indexOf(received, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII)) + 4;
            firstPart = java.util.Arrays.copyOfRange(received, bodyStart, received.length);
            socket.setSoLinger(true, 0);
        }
        DownloadFailed failed = awaitOne(DownloadFailed.class, grant);
        assertThat(failed.fileId()).isNull();
        assertThat(failed.rangeStart()).isZero();
        assertThat(failed.totalSize()).isEqualTo(length);
        assertThat(failed.bytesSent()).isGreaterThanOrEqualTo(firstPart.length).isLessThan(length);

        // The download manager resumes where its copy ends, if the archive is still the same one.
        HttpResponse<byte[]> rest =
                getBytes(grant.path(), Map.of("Range", "bytes=" + firstPart.length + "-", "If-Range", etag));
        assertThat(rest.statusCode()).isEqualTo(206);
        assertThat(rest.headers().firstValue("Content-Range"))
                .hasValue("bytes " + firstPart.length + "-" + (length - 1) + "/" + length);
        assertThat(rest.headers().firstValue("ETag")).hasValue(etag);
        byte[] archive = new byte[Math.toIntExact(length)];
        System.arraycopy(firstPart, 0, archive, 0, firstPart.length);
        System.arraycopy(rest.body(), 0, archive, firstPart.length, rest.body().length);
        assertThat(firstPart.length + rest.body().length).isEqualTo(length);
        await().atMost(Duration.ofSeconds(15))
                .until(() -> tokenService.downloadsFor(grant.grantId()).size() == 2);
        DownloadCompleted completed =
                (DownloadCompleted) tokenService.downloadsFor(grant.grantId()).get(1);
        assertThat(completed.fileId()).isNull();
        assertThat(completed.rangeStart()).isEqualTo(firstPart.length);
        assertThat(completed.bytesSent()).isEqualTo(length - firstPart.length);
        assertThat(completed.totalSize()).isEqualTo(length);

        // The same bytes as one whole download, and a valid ZIP of the files.
        HttpResponse<byte[]> whole = getBytes(grant.path(), Map.of());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(archive);
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("readme.txt", TestObjects.readme.sha256());
        expected.put(TestObjects.big.name(), TestObjects.big.sha256());
        expected.put("tool.exe", TestObjects.tool.sha256());
        expected.put("tool (2).exe", TestObjects.otherTool.sha256());
        Map<String, String> streamed = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new java.io.ByteArrayInputStream(archive))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                streamed.put(entry.getName(), sha256(zip)); // also checks each entry's CRC-32
            }
        }
        assertThat(streamed).containsExactlyEntriesOf(expected);
        java.nio.file.Path file = java.nio.file.Files.createTempFile("resumed", ".zip");
        try {
            java.nio.file.Files.write(file, archive);
            Map<String, String> central = new LinkedHashMap<>();
            try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
                for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        central.put(entry.getName(), sha256(in));
                    }
                }
            }
            assertThat(central).containsExactlyEntriesOf(expected);
            if (java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/unzip"))) {
                Process unzip = new ProcessBuilder("/usr/bin/unzip", "-tq", file.toString())
                        .redirectErrorStream(true)
                        .start();
                String output = new String(unzip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(unzip.waitFor()).as(output).isZero();
            }
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    @Test
    void zipRangesFollowTheSameRulesAsFiles() throws Exception {
        Grant grant = grant(
                "active",
                List.of(TestObjects.checksummed(TestObjects.readme), TestObjects.checksummed(TestObjects.tool)));
        HttpResponse<byte[]> whole = getBytes(grant.path(), Map.of());
        long length = whole.body().length;

        HttpResponse<byte[]> beyond = getBytes(grant.path(), Map.of("Range", "bytes=" + length + "-"));
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */" + length);

        HttpResponse<byte[]> stale =
                getBytes(grant.path(), Map.of("Range", "bytes=10-", "If-Range", "\"zip-another-version\""));
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.body()).isEqualTo(whole.body());

        HttpResponse<byte[]> tail = getBytes(grant.path(), Map.of("Range", "bytes=-100"));
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(java.util.Arrays.copyOfRange(whole.body(), (int) length - 100, (int) length));
    }

    @Test
    void severalItemsWithoutChecksumsArriveAsOneStreamedZipThatUnpacksToTheFiles() throws Exception {
        List<GrantedItem> items = List.of(TestObjects.readme, TestObjects.tool, TestObjects.otherTool);
        Grant grant = grant("active", items);

        HttpResponse<InputStream> response = get(grant.path(), Map.of("Range", "bytes=0-99"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/zip");
        assertThat(response.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"bundle.zip\"; filename*=UTF-8''bundle.zip");
        assertThat(response.headers().firstValue("Accept-Ranges")).hasValue("none");
        // Read to the end as a browser does: ZipInputStream alone stops at the central directory and hangs up.
        byte[] archive;
        try (InputStream body = response.body()) {
            archive = body.readAllBytes();
        }
        Map<String, String> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new java.io.ByteArrayInputStream(archive))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                entries.put(entry.getName(), sha256(zip));
            }
        }
        assertThat(entries)
                .containsExactly(
                        Map.entry("readme.txt", TestObjects.readme.sha256()),
                        Map.entry("tool.exe", TestObjects.tool.sha256()),
                        Map.entry("tool (2).exe", TestObjects.otherTool.sha256()));

        DownloadCompleted completed = awaitOne(DownloadCompleted.class, grant);
        assertThat(completed.fileId()).isNull();
        assertThat(completed.totalSize())
                .isEqualTo(items.stream().mapToLong(GrantedItem::size).sum());
        assertThat(completed.bytesSent()).isEqualTo(archive.length);
    }

    @Test
    void aTamperedGrantIsRefusedWithoutAskingTokenService() {
        Grant grant = grant("active", List.of(TestObjects.tool));
        String[] parts = grant.signed().split("\\.");
        String longer = parts[0] + "." + (Long.parseLong(parts[1]) + 86400) + "." + parts[2];

        for (String path : List.of(
                "/dl/" + longer,
                "/dl/" + grant.signed().substring(0, grant.signed().length() - 2) + "xx",
                "/dl/nope")) {
            http.get()
                    .uri(path)
                    .exchange()
                    .expectStatus()
                    .isUnauthorized()
                    .expectHeader()
                    .contentTypeCompatibleWith(MediaType.TEXT_HTML)
                    .expectBody(String.class)
                    .value(page -> assertThat(page).contains("This link is not valid"));
        }
    }

    @Test
    void anExpiredGrantIsGone() {
        Grant grant = grant("active", List.of(TestObjects.tool), Instant.now().minusSeconds(1), 0, 0);

        http.get()
                .uri(grant.path())
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.GONE)
                .expectBody(String.class)
                .value(page -> assertThat(page).contains("This link has expired"));
    }

    @Test
    void whatTokenServiceSaysAboutTheGrantDecides() {
        Instant later = Instant.now().plus(Duration.ofHours(1));
        List<GrantedItem> tool = List.of(TestObjects.tool);

        expect(grant("revoked", tool).path(), HttpStatus.GONE, "token_revoked");
        expect(grant("released", tool).path(), HttpStatus.GONE, "token_expired");
        for (String refusal :
                List.of("range_in_use", "already_delivered", "usage_limit_exceeded", "byte_budget_spent")) {
            Grant refused = grant("active", tool);
            FakeTokenService.refuseLeases(refused.grantId(), refusal);
            expect(refused.path(), HttpStatus.TOO_MANY_REQUESTS, "usage_limit_exceeded");
        }
        Grant revokedMeanwhile = grant("active", tool);
        FakeTokenService.refuseLeases(revokedMeanwhile.grantId(), "token_revoked");
        expect(revokedMeanwhile.path(), HttpStatus.GONE, "token_revoked");
        expect(grant("active", List.of(TestObjects.missing)).path(), HttpStatus.NOT_FOUND, "file_not_found");
        expect(
                grant("active", List.of(TestObjects.tool, TestObjects.missing)).path(),
                HttpStatus.NOT_FOUND,
                "file_not_found");
        Grant unknown = new Grant(null, null, signer.sign(UUID.randomUUID(), later, clientIp));
        expect(unknown.path(), HttpStatus.UNAUTHORIZED, "invalid_token");
    }

    @Test
    void aRunningDownloadOutlastsExtensionsTokenServiceFailsToAnswer() throws Exception {
        GrantedItem big = TestObjects.big;
        Grant grant = grant("active", List.of(big));
        FakeTokenService.failExtensions(grant.grantId(), 3);

        HttpResponse<InputStream> response = get(grant.path(), Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        long received;
        try (InputStream body = response.body()) {
            received = body.transferTo(OutputStream.nullOutputStream());
        }
        assertThat(received).isEqualTo(big.size());
        awaitOne(DownloadCompleted.class, grant);
        await().atMost(Duration.ofSeconds(10)).until(() -> FakeTokenService.leasesOf(grant.grantId()).stream()
                .allMatch(lease -> !lease.endings().isEmpty()));
        assertThat(FakeTokenService.leasesOf(grant.grantId())).singleElement().satisfies(lease -> assertThat(
                        lease.endings())
                .containsExactly(new FakeTokenService.Ending(big.size(), true)));
    }

    @Test
    void everyWindowIsLeasedBeforeItIsSentAndTheLeaseEndsWithWhatWasSent() throws Exception {
        GrantedItem big = TestObjects.big;
        Grant grant = grant("active", List.of(big));
        long already = 5_000_000;

        HttpResponse<InputStream> response =
                get(grant.path(), Map.of("Range", "bytes=" + already + "-", "If-Range", "\"" + big.sha256() + "\""));

        assertThat(response.statusCode()).isEqualTo(206);
        try (InputStream body = response.body()) {
            body.transferTo(OutputStream.nullOutputStream());
        }
        awaitOne(DownloadCompleted.class, grant);
        await().atMost(Duration.ofSeconds(10)).until(() -> FakeTokenService.leasesOf(grant.grantId()).stream()
                .allMatch(lease -> !lease.endings().isEmpty()));
        FakeTokenService.LeaseRecord lease =
                FakeTokenService.leasesOf(grant.grantId()).get(0);
        // 16 MiB from 5,000,000 in windows of 1 MiB (the test configuration): the first, then one extension each.
        assertThat(lease.start()).isEqualTo(already);
        assertThat(lease.end()).isEqualTo(already + 1024 * 1024);
        assertThat(lease.responseEnd()).isEqualTo(big.size());
        assertThat(lease.extensions()).last().isEqualTo(big.size());
        assertThat(lease.extensions()).isSorted().doesNotHaveDuplicates();
        assertThat(lease.endings()).containsExactly(new FakeTokenService.Ending(big.size() - already, true));
    }

    @Test
    void refusalsAreAnswersAndNeverOpenTheCircuitToTokenService() throws Exception {
        Grant refused = grant("active", List.of(TestObjects.tool));
        FakeTokenService.refuseLeases(refused.grantId(), "already_delivered");
        for (int i = 0; i < 30; i++) {
            expect(refused.path(), HttpStatus.TOO_MANY_REQUESTS, "usage_limit_exceeded");
        }

        HttpResponse<InputStream> other =
                get(grant("active", List.of(TestObjects.tool)).path(), Map.of());
        assertThat(other.statusCode()).isEqualTo(200);
        other.body().close();
    }

    @Test
    void aRefusedLeaseIsARefusalBeforeAnyByte() {
        Grant grant = grant("active", List.of(TestObjects.tool));
        FakeTokenService.refuseLeases(grant.grantId(), "usage_limit_exceeded");

        http.get()
                .uri(grant.path())
                .header(HttpHeaders.RANGE, "bytes=10-")
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectBody(String.class)
                .value(page -> assertThat(page).contains("usage_limit_exceeded", "cannot be resumed"));
        // HEAD delivers nothing, so it leases nothing and is answered from the grant as it is.
        http.head().uri(grant.path()).exchange().expectStatus().isOk();
    }

    @Test
    void aWindowThatIsRefusedMidStreamCutsTheResponseShortOfItsLength() throws Exception {
        Grant grant = grant("active", List.of(TestObjects.big));
        FakeTokenService.refuseExtensions(grant.grantId(), "range_in_use");

        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + grant.path() + " HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: " + clientIp
                            + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] received = socket.getInputStream().readAllBytes(); // until the server closes the connection
            String head = new String(received, 0, Math.min(received.length, 2048), StandardCharsets.ISO_8859_1);
            int bodyStart = head.indexOf("\r\n\r\n") + 4;
            assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("content-length: " + TestObjects.BIG_SIZE);
            // Within the first window (1 MiB; a buffer that would cross it waits for the next), and short of the
            // length: the client can tell the download is incomplete.
            assertThat(received.length - bodyStart).isPositive().isLessThanOrEqualTo(1024 * 1024);
        }
        DownloadFailed failed = awaitOne(DownloadFailed.class, grant);
        assertThat(failed.reason()).isEqualTo("lease_refused");
        assertThat(failed.bytesSent()).isPositive().isLessThanOrEqualTo(1024 * 1024);
    }

    @Test
    void aCompletedGrantStillServesRangesUntilItExpires() {
        Grant grant = grant("completed", List.of(TestObjects.tool));

        http.get()
                .uri(grant.path())
                .header(HttpHeaders.RANGE, "bytes=0-9")
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.PARTIAL_CONTENT)
                .expectHeader()
                .contentLength(10);
    }

    @Test
    void scriptsAskingForJsonGetProblemDocuments() {
        Grant grant = grant("revoked", List.of(TestObjects.tool));

        http.get()
                .uri(grant.path())
                .accept(MediaType.APPLICATION_JSON)
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.GONE)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("token_revoked")
                .jsonPath("$.instance")
                .isEqualTo("/dl/{grant}");
    }

    private void expect(String path, HttpStatus status, String code) {
        http.get()
                .uri(path)
                .exchange()
                .expectStatus()
                .isEqualTo(status)
                .expectHeader()
                .value(HttpHeaders.CACHE_CONTROL, value -> assertThat(value).isEqualTo("no-store"))
                .expectBody(String.class)
                .value(page -> assertThat(page).as(path).contains(code));
    }

    private <T> T awaitOne(Class<T> type, Grant grant) {
        await().atMost(Duration.ofSeconds(15))
                .until(() -> !tokenService.downloadsFor(grant.grantId()).isEmpty());
        assertThat(tokenService.downloadsFor(grant.grantId()))
                .hasSize(1)
                .first()
                .isInstanceOf(type);
        return type.cast(tokenService.downloadsFor(grant.grantId()).get(0));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("no end of headers");
    }

    private HttpRequest.Builder request(String path, Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60))
                .header("X-Forwarded-For", clientIp);
        headers.forEach(builder::header);
        return builder;
    }

    private HttpResponse<InputStream> get(String path, Map<String, String> headers) throws Exception {
        return client.send(request(path, headers).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    private HttpResponse<byte[]> getBytes(String path, Map<String, String> headers) throws Exception {
        return client.send(request(path, headers).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        in.transferTo(new DigestingSink(sha));
        return HexFormat.of().formatHex(sha.digest());
    }

    /** An OutputStream that only feeds a digest: nothing downloaded is kept in memory. */
    private static final class DigestingSink extends OutputStream {
        private final MessageDigest digest;

        DigestingSink(MessageDigest digest) {
            this.digest = digest;
        }

        @Override
        public void write(int b) {
            digest.update((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            digest.update(b, off, len);
        }
    }
}
