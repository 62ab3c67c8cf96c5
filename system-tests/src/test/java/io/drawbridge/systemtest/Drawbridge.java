package io.drawbridge.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.devstack.Stack;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The running system as its users reach it, over HTTP only: the seller's admin APIs (file-service, token-service),
 * the customer's pages and downloads (download-gateway), and what was published on Kafka ({@link #events()}).
 */
final class Drawbridge implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final Stack stack;
    private final EventTap events;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    Drawbridge(Stack stack, EventTap events) {
        this.stack = stack;
        this.events = events;
    }

    Stack stack() {
        return stack;
    }

    EventTap events() {
        return events;
    }

    String gateway() {
        return stack.url("download-gateway");
    }

    // ---- seller: files, products, releases, links ----

    /** A file uploaded to file-service, as it answered. */
    record StoredFile(String id, String name, long size, String sha256) {}

    /** A link as token-service issued it. */
    record Link(String tokenId, String token, String url) {}

    /** Deterministic pseudo-random content (incompressible, so nothing along the way can shortcut it). */
    static byte[] content(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    StoredFile upload(String name, byte[] content) {
        String boundary = "system-test-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = send(admin("file-service", "/api/v1/files")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode file = json(response);
        return new StoredFile(
                file.get("id").asString(),
                file.get("name").asString(),
                file.get("size").asLong(),
                file.get("sha256").asString());
    }

    /** A new product whose current release holds {@code files} for platform {@code any}. */
    String productWith(StoredFile... files) {
        String sku = "sys-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> product = send(admin("file-service", "/api/v1/products")
                .header("Content-Type", "application/json")
                .POST(body(Map.of("sku", sku, "name", "System test " + sku))));
        assertThat(product.statusCode()).as(product.body()).isEqualTo(201);
        Map<String, Object> release = new LinkedHashMap<>();
        release.put("version", "1.0.0");
        release.put("notes", "published by the system tests");
        release.put(
                "files",
                Map.of("any", List.of(files).stream().map(StoredFile::id).toList()));
        HttpResponse<String> published = send(admin("file-service", "/api/v1/products/" + sku + "/releases")
                .header("Content-Type", "application/json")
                .POST(body(release)));
        assertThat(published.statusCode()).as(published.body()).isEqualTo(201);
        return sku;
    }

    /** A new product whose current release has one file per platform ({@code macos}, {@code windows}, ...). */
    String productWithBuilds(Map<String, StoredFile> builds) {
        String sku = "sys-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> product = send(admin("file-service", "/api/v1/products")
                .header("Content-Type", "application/json")
                .POST(body(Map.of("sku", sku, "name", "System test " + sku))));
        assertThat(product.statusCode()).as(product.body()).isEqualTo(201);
        Map<String, Object> files = new LinkedHashMap<>();
        builds.forEach((platform, file) -> files.put(platform, file.id()));
        HttpResponse<String> published = send(admin("file-service", "/api/v1/products/" + sku + "/releases")
                .header("Content-Type", "application/json")
                .POST(body(Map.of("version", "1.0.0", "files", files))));
        assertThat(published.statusCode()).as(published.body()).isEqualTo(201);
        return sku;
    }

    /**
     * Issues a link for a product. token-service learns products from file-service's events, so right after a
     * release it may still answer 422 {@code unknown_product}: asked again until it knows it.
     */
    Link issue(String sku, String email, int maxDownloads) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("customer_email", email);
        request.put("product", sku);
        request.put("max_downloads", maxDownloads);
        request.put("expires_in_hours", 2);
        HttpResponse<String> response = await("token-service knows product " + sku)
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> send(admin("token-service", "/api/v1/tokens")
                                .header("Content-Type", "application/json")
                                .POST(body(request))),
                        answer -> !(answer.statusCode() == 422 && answer.body().contains("unknown_product")));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode link = json(response);
        return new Link(
                link.get("token_id").asString(),
                link.get("token").asString(),
                link.get("link").asString());
    }

    /** token-service's admin view of a link: status, uses, grants, history. */
    JsonNode token(String tokenId) {
        HttpResponse<String> response =
                send(admin("token-service", "/api/v1/tokens/" + tokenId).GET());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    /** token-service's links for a customer, newest first. */
    List<JsonNode> tokensOf(String email) {
        HttpResponse<String> response =
                send(admin("token-service", "/api/v1/tokens?email=" + URLEncoder.encode(email, StandardCharsets.UTF_8))
                        .GET());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        json(response).get("items").forEach(items::add);
        return items;
    }

    /** {@code uses} of a link: {@code max, consumed, reserved, remaining}. */
    JsonNode uses(String tokenId) {
        return token(tokenId).get("uses");
    }

    void revoke(String tokenId, String reason) {
        HttpResponse<String> response = send(admin("token-service", "/api/v1/tokens/" + tokenId + "/revoke")
                .header("Content-Type", "application/json")
                .POST(body(Map.of("reason", reason))));
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 204);
    }

    /** audit-service's timeline of an order: every event naming it, its links or their requests, with a phase. */
    HttpResponse<String> orderTimeline(String orderId) {
        return send(admin("audit-service", "/api/v1/orders/" + orderId + "/timeline")
                .GET());
    }

    // ---- customer: landing page, redeem, download ----

    /** {@code GET} or {@code HEAD} of the landing page. */
    HttpResponse<String> landing(String token, String method) {
        return send(customer(gateway() + "/d/" + token, "system-test-browser")
                .method(method, HttpRequest.BodyPublishers.noBody()));
    }

    /** The Download button: {@code POST /d/{token}} (a form), answered 303 to the grant, or a refusal page. */
    HttpResponse<String> redeem(String token, String userAgent) {
        return send(customer(gateway() + "/d/" + token, userAgent)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("")));
    }

    /** The same for scripts: {@code POST /api/v1/downloads}, JSON in and out (problem details on refusal). */
    HttpResponse<String> redeemJson(String token, String userAgent) {
        return send(customer(gateway() + "/api/v1/downloads", userAgent)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(body(Map.of("download_token", token))));
    }

    /** Redeems and returns the grant's path ({@code /dl/...}) from the 303. */
    String grantPath(String token, String userAgent) {
        HttpResponse<String> response = redeem(token, userAgent);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(303);
        String location = response.headers().firstValue("Location").orElseThrow();
        assertThat(location).contains("/dl/");
        return URI.create(location).getRawPath();
    }

    /** {@code GET} of a grant, optionally with a {@code Range} header ({@code Accept: application/json}). */
    HttpResponse<byte[]> download(String grantPath, String userAgent, String range) {
        HttpRequest.Builder request = customer(gateway() + grantPath, userAgent)
                .header("Accept", "application/octet-stream, application/json;q=0.5")
                .GET();
        if (range != null) {
            request.header("Range", range);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A download that breaks off: reads the response head and {@code bytes} bytes of the body over a raw socket, then
     * resets the connection, as a dropped Wi-Fi would.
     *
     * @return the bytes received
     */
    byte[] downloadAndDrop(String grantPath, String userAgent, int bytes) throws IOException {
        URI gateway = URI.create(gateway());
        try (Socket socket = new Socket()) {
            // A small receive window keeps the kernel from taking the whole response off the gateway's hands
            // before the client hangs up (loopback buffers can hold tens of MiB otherwise).
            socket.setReceiveBufferSize(64 * 1024);
            socket.connect(new InetSocketAddress(gateway.getHost(), gateway.getPort()), 5_000);
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + grantPath + " HTTP/1.1\r\nHost: " + gateway.getAuthority() + "\r\nUser-Agent: "
                            + userAgent + "\r\nAccept: */*\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200");
            byte[] received = in.readNBytes(bytes);
            assertThat(received).hasSize(bytes);
            socket.setSoLinger(true, 0); // close = RST: the server's next write fails
            return received;
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    /** An HTTP exchange with any service, for tests that need more than the methods above. */
    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpClient http() {
        return http;
    }

    HttpRequest.Builder customer(String url, String userAgent) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT).header("User-Agent", userAgent);
    }

    static HttpRequest.BodyPublisher body(Object value) {
        return HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(value));
    }

    @Override
    public void close() {
        try {
            events.close();
        } finally {
            stack.close();
        }
    }

    private HttpRequest.Builder admin(String service, String path) {
        return HttpRequest.newBuilder(URI.create(stack.url(service) + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + stack.adminToken());
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the response head: " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
