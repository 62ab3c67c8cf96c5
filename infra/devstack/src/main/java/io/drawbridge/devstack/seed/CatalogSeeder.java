package io.drawbridge.devstack.seed;

import io.drawbridge.devstack.DemoContext;
import io.drawbridge.devstack.DemoSeeder;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gives a new user something to look at: product {@value #SKU} with release {@value #VERSION} holding one small
 * generated file per platform (windows, macos, linux), uploaded through file-service's admin API. Idempotent: a
 * product that already has a current release is left alone.
 */
public final class CatalogSeeder implements DemoSeeder {

    public static final String SKU = "demo-app";
    public static final String VERSION = "1.0.0";
    private static final String PRODUCT_NAME = "Drawbridge Demo App";
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    private static final Pattern CURRENT = Pattern.compile("\"current_version\"\\s*:\\s*\"([^\"]+)\"");

    /** Platform → demo file name. */
    private static final Map<String, String> FILES = new LinkedHashMap<>();

    static {
        FILES.put("windows", "drawbridge-demo-" + VERSION + "-setup.exe");
        FILES.put("macos", "drawbridge-demo-" + VERSION + ".dmg");
        FILES.put("linux", "drawbridge-demo-" + VERSION + ".AppImage");
    }

    @Override
    public String name() {
        return "file-service catalog (" + SKU + " " + VERSION + ")";
    }

    @Override
    public List<String> seed(DemoContext context) throws Exception {
        String base = context.url("file-service");
        HttpResponse<String> existing = send(context, get(context, base + "/api/v1/products/" + SKU));
        if (existing.statusCode() == 200) {
            Matcher current = CURRENT.matcher(existing.body());
            if (current.find()) {
                return List.of("Demo product " + SKU + " (release " + current.group(1) + ") is in file-service.");
            }
        } else {
            HttpResponse<String> created = send(
                    context,
                    json(
                            context,
                            base + "/api/v1/products",
                            "{\"sku\":\"" + SKU + "\",\"name\":\"" + PRODUCT_NAME + "\"}"));
            expect(created, 201, 409);
        }

        List<String> entries = new ArrayList<>();
        for (Map.Entry<String, String> file : FILES.entrySet()) {
            String id = upload(context, base, file.getValue(), demoContent(file.getKey(), file.getValue()));
            entries.add("\"" + file.getKey() + "\":\"" + id + "\"");
        }
        HttpResponse<String> release = send(
                context,
                json(
                        context,
                        base + "/api/v1/products/" + SKU + "/releases",
                        "{\"version\":\"" + VERSION
                                + "\",\"notes\":\"Demo release seeded by the dev stack.\",\"files\":{"
                                + String.join(",", entries) + "}}"));
        expect(release, 201, 409);
        return List.of("Demo product " + SKU + " " + VERSION + " with files for " + String.join(", ", FILES.keySet())
                + " (GET " + base + "/api/v1/products/" + SKU + ")");
    }

    /** A few KiB of text that says what it is, so a downloaded demo file explains itself. */
    static byte[] demoContent(String platform, String name) {
        StringBuilder text = new StringBuilder();
        text.append("Drawbridge demo file ")
                .append(name)
                .append(" for ")
                .append(platform)
                .append(".\n");
        text.append("It stands in for a real installer: uploaded to file-service by the dev stack's seeder.\n");
        for (int i = 0; i < 64; i++) {
            text.append("line ").append(i).append(": the quick brown fox jumps over the lazy dog\n");
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String upload(DemoContext context, String base, String name, byte[] content) throws Exception {
        String boundary = "drawbridge-seed-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\n"
                        + "Content-Disposition: form-data; name=\"file\"; filename=\"" + name + "\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = send(
                context,
                HttpRequest.newBuilder(URI.create(base + "/api/v1/files"))
                        .header("Authorization", "Bearer " + context.adminToken())
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                        .build());
        expect(response, 201);
        Matcher id = ID.matcher(response.body());
        if (!id.find()) {
            throw new IllegalStateException("file-service answered without an id: " + response.body());
        }
        return id.group(1);
    }

    private static HttpRequest get(DemoContext context, String url) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + context.adminToken())
                .GET()
                .build();
    }

    private static HttpRequest json(DemoContext context, String url, String body) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + context.adminToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static HttpResponse<String> send(DemoContext context, HttpRequest request) throws Exception {
        return context.http().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(HttpResponse<String> response, int... statuses) {
        for (int status : statuses) {
            if (response.statusCode() == status) {
                return;
            }
        }
        throw new IllegalStateException(response.request().method() + " "
                + response.request().uri() + " answered " + response.statusCode() + ": " + response.body());
    }
}
