package io.drawbridge.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
