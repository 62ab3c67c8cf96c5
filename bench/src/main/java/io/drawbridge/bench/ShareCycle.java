package io.drawbridge.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Issue #10's share cycle, the replaced one-time share app's own workload: upload a file (1 MiB by default, encrypted
 * at rest by file-service) through {@code POST /api/v1/shares}, read it ({@code POST /api/v1/shares/read}), download
 * it once from the grant URL and check its SHA-256. {@code clients} closed-loop clients run cycles for warm-up +
 * duration seconds; only cycles started inside the measured window count; failures are counted by step and status.
 */
final class ShareCycle {

    private final Settings settings;

    ShareCycle(Settings settings) {
        this.settings = settings;
    }

    private record Sample(long startNanos, long uploadNanos, long readNanos, long downloadNanos, String outcome)
            implements ClosedLoop.Sample {
        long total() {
            return Math.max(0, uploadNanos) + Math.max(0, readNanos) + Math.max(0, downloadNanos);
        }
    }

    int run() throws Exception {
        URI gateway = settings.uris("gateway", settings.env("DRAWBRIDGE_DOWNLOAD_GATEWAY_URL", "http://127.0.0.1:8080"))
                .get(0);
        int clients = settings.number("clients", 10);
        int warmupSeconds = settings.number("warmup", 10);
        int durationSeconds = settings.number("duration", 30);
        int sizeKib = settings.number("size-kib", 1024);
        int timeoutMillis = settings.number("timeout-ms", 15_000);

        byte[] content = new byte[sizeKib * 1024];
        ThreadLocalRandom.current().nextBytes(content);
        String sha256 =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        System.out.printf(
                "share-cycle: %d clients (closed loop), %d s warm-up + %d s measured, against %s%n",
                clients, warmupSeconds, durationSeconds, gateway);
        System.out.printf(
                "  each cycle: upload %d KiB (POST /api/v1/shares, max_reads=1), read it (POST /api/v1/shares/read),"
                        + " download it once from the grant URL, checking SHA-256%n",
                sizeKib);

        ClosedLoop.Result<Sample> result = ClosedLoop.run(
                clients,
                warmupSeconds,
                durationSeconds,
                (client, until, samples) -> loop(gateway, content, sha256, timeoutMillis, until, samples));
        int status = ClosedLoop.printCycles(result);
        ClosedLoop.printStep("cycle", result.nanos(Sample::total));
        ClosedLoop.printStep("  upload", result.nanos(Sample::uploadNanos));
        ClosedLoop.printStep("  read", result.nanos(Sample::readNanos));
        ClosedLoop.printStep("  download", result.nanos(Sample::downloadNanos));
        return status;
    }

    private static void loop(
            URI gateway, byte[] content, String sha256, int timeoutMillis, long until, List<Sample> samples) {
        Duration timeout = Duration.ofMillis(timeoutMillis);
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .build();
        while (System.nanoTime() < until) {
            long begin = System.nanoTime();
            long upload = -1;
            long read = -1;
            long download = -1;
            String outcome;
            try {
                String boundary = "bench" + UUID.randomUUID();
                byte[] body = multipart(boundary, content);
                HttpResponse<String> created;
                try {
                    created = http.send(
                            HttpRequest.newBuilder(gateway.resolve("/api/v1/shares"))
                                    .timeout(timeout)
                                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                } finally {
                    upload = System.nanoTime() - begin;
                }
                if (created.statusCode() != 201) {
                    outcome = "upload:http_" + created.statusCode();
                } else {
                    String link =
                            AdminApi.JSON.readTree(created.body()).path("link").asString();
                    String token = link.substring(link.lastIndexOf('/') + 1);
                    long readStart = System.nanoTime();
                    HttpResponse<String> granted;
                    try {
                        granted = http.send(
                                HttpRequest.newBuilder(gateway.resolve("/api/v1/shares/read"))
                                        .timeout(timeout)
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\"}"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                    } finally {
                        read = System.nanoTime() - readStart;
                    }
                    if (granted.statusCode() != 200) {
                        outcome = "read:http_" + granted.statusCode();
                    } else {
                        URI url = URI.create(AdminApi.JSON
                                .readTree(granted.body())
                                .path("download_url")
                                .asString());
                        long downloadStart = System.nanoTime();
                        try {
                            HttpResponse<InputStream> file = http.send(
                                    HttpRequest.newBuilder(gateway.resolve(url.getRawPath()))
                                            .timeout(timeout)
                                            .GET()
                                            .build(),
                                    HttpResponse.BodyHandlers.ofInputStream());
                            outcome = file.statusCode() != 200
                                    ? "download:http_" + file.statusCode()
                                    : check(file.body(), sha256, content.length);
                        } finally {
                            download = System.nanoTime() - downloadStart;
                        }
                    }
                }
            } catch (HttpTimeoutException e) {
                outcome = step(upload, read) + ":timeout";
            } catch (IOException e) {
                outcome = step(upload, read) + ":io_error";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                outcome = step(upload, read) + ":" + e.getClass().getSimpleName();
            }
            samples.add(new Sample(begin, upload, read, download, outcome));
        }
    }

    private static String check(InputStream in, String sha256, long size) throws IOException {
        try (in) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
                total += n;
            }
            if (total != size) {
                return "download:short_body";
            }
            return HexFormat.of().formatHex(digest.digest()).equals(sha256) ? "ok" : "download:sha256_mismatch";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] multipart(String boundary, byte[] content) {
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"max_reads\"\r\n\r\n1\r\n"
                        + "--" + boundary
                        + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench.bin\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[head.length + content.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(content, 0, body, head.length, content.length);
        System.arraycopy(tail, 0, body, head.length + content.length, tail.length);
        return body;
    }

    private static String step(long upload, long read) {
        return upload < 0 ? "upload" : read < 0 ? "read" : "download";
    }
}
