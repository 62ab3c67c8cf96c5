package io.drawbridge.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The admin APIs the benchmarks set themselves up with: a small file in file-service, links for it from token-service,
 * and token-service's own view of a link (how many grants it really handed out), plus the services' Prometheus text.
 */
final class AdminApi {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI tokenService;
    private final URI fileService;
    private final String adminToken;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    AdminApi(URI tokenService, URI fileService, String adminToken) {
        this.tokenService = tokenService;
        this.fileService = fileService;
        this.adminToken = adminToken;
    }

    /** A link as the issuing response gives it. */
    record Link(String tokenId, String token) {}

    /** Uploads a small file (streaming upload API) and returns its id. */
    String uploadFile(String name, byte[] content) throws IOException, InterruptedException {
        String boundary = "bench" + UUID.randomUUID().toString().replace("-", "");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(content);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(
                admin(fileService.resolve("/api/v1/files"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        expect(response, 201, "upload");
        return JSON.readTree(response.body()).path("id").asString();
    }

    /** A file file-service stored: its id, the SHA-256 it computed and the one of the bytes sent. */
    record Stored(String id, String sha256, String computedSha256) {}

    /**
     * Uploads {@code size} random bytes, generated while they are sent (never held whole), with their SHA-256 computed
     * on the way.
     */
    Stored uploadRandomFile(String name, long size) throws IOException, InterruptedException {
        String boundary = "bench" + UUID.randomUUID().toString().replace("-", "");
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        MessageDigest sha = SlowClients.sha256();
        RandomBytes content = new RandomBytes(size, sha);
        HttpResponse<String> response = http.send(
                admin(fileService.resolve("/api/v1/files"))
                        .timeout(Duration.ofMinutes(10))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.fromPublisher(
                                HttpRequest.BodyPublishers.ofInputStream(
                                        () -> new SequenceInputStream(Collections.enumeration(List.of(
                                                new ByteArrayInputStream(head),
                                                content,
                                                new ByteArrayInputStream(tail))))),
                                head.length + size + tail.length))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        expect(response, 201, "upload");
        JsonNode stored = JSON.readTree(response.body());
        return new Stored(
                stored.path("id").asString(),
                stored.path("sha256").asString(),
                HexFormat.of().formatHex(sha.digest()));
    }

    /** {@code GET /api/v1/files/{id}}. */
    JsonNode file(String fileId) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                admin(fileService.resolve("/api/v1/files/" + fileId)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        expect(response, 200, "file view");
        return JSON.readTree(response.body());
    }

    /** {@code size} pseudo-random bytes, made as they are read, digested on the way. */
    private static final class RandomBytes extends InputStream {
        private final SplittableRandom random = new SplittableRandom();
        private final MessageDigest sha;
        private long left;

        RandomBytes(long size, MessageDigest sha) {
            this.left = size;
            this.sha = sha;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            for (int i = 0; i < n; i += 8) {
                long value = random.nextLong();
                for (int j = 0; j < 8 && i + j < n; j++) {
                    b[off + i + j] = (byte) (value >>> (8 * j));
                }
            }
            sha.update(b, off, n);
            left -= n;
            return n;
        }
    }

    /** One link for the file; retried while token-service's catalog has not seen the file yet. */
    Link issue(String fileId, int maxDownloads) throws IOException, InterruptedException {
        Map<String, Object> request = linkRequest(fileId, maxDownloads);
        JsonNode issued = postUntilKnown("/api/v1/tokens", request);
        return new Link(issued.path("token_id").asString(), issued.path("token").asString());
    }

    /** {@code count} links in one transaction (bulk API). */
    List<Link> issueBatch(String fileId, int maxDownloads, int count, String orderPrefix)
            throws IOException, InterruptedException {
        Map<String, Object> request = linkRequest(fileId, maxDownloads);
        request.put("count", count);
        request.put("order_prefix", orderPrefix);
        JsonNode issued = postUntilKnown("/api/v1/tokens/batch", request);
        List<Link> links = new ArrayList<>();
        for (JsonNode link : issued.path("tokens")) {
            links.add(new Link(
                    link.path("token_id").asString(), link.path("token").asString()));
        }
        return links;
    }

    /** {@code GET /api/v1/tokens/{id}}: uses, grants and history as token-service recorded them. */
    JsonNode token(String tokenId) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                admin(tokenService.resolve("/api/v1/tokens/" + tokenId)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        expect(response, 200, "token view");
        return JSON.readTree(response.body());
    }

    /** One page of audit-service's download log ({@code GET /api/v1/download-logs}), rows started from {@code from}. */
    JsonNode downloadLogs(URI auditService, Instant from, int page, int size) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                admin(auditService.resolve("/api/v1/download-logs?from=" + from + "&page=" + page + "&size=" + size))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        expect(response, 200, "download log");
        return JSON.readTree(response.body());
    }

    /** The Prometheus text of a service (for per-instance counters), empty when it does not answer. */
    String prometheus(URI service) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(service.resolve("/actuator/prometheus"))
                            .timeout(Duration.ofSeconds(5))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Sum of every sample of one Prometheus series whose labels contain all of {@code labels}. */
    static double sum(String prometheusText, String series, String... labels) {
        double total = 0;
        for (String line : prometheusText.split("\n")) {
            if (!line.startsWith(series + "{") && !line.startsWith(series + " ")) {
                continue;
            }
            boolean matches = true;
            for (String label : labels) {
                matches &= line.contains(label);
            }
            if (matches) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    private static Map<String, Object> linkRequest(String fileId, int maxDownloads) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("customer_email", "bench@example.com");
        request.put("files", List.of(fileId));
        request.put("max_downloads", maxDownloads);
        request.put("note", "bench");
        return request;
    }

    private JsonNode postUntilKnown(String path, Map<String, Object> request) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            HttpResponse<String> response = http.send(
                    admin(tokenService.resolve(path))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 422
                    && response.body().contains("unknown_file")
                    && System.nanoTime() < deadline) {
                Thread.sleep(250); // token-service's catalog learns of the file from files.v1
                continue;
            }
            expect(response, 201, "issue " + path);
            return JSON.readTree(response.body());
        }
    }

    private HttpRequest.Builder admin(URI uri) {
        return HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminToken)
                .header("Accept", "application/json");
    }

    private static void expect(HttpResponse<String> response, int status, String what) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(
                    what + ": HTTP " + response.statusCode() + " " + response.body() + " (" + response.uri() + ")");
        }
    }
}
