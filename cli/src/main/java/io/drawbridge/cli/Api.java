package io.drawbridge.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The admin APIs over HTTP with the API key; a refusal becomes a {@link Failure} with the problem's code. */
final class Api {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final String apiKey;

    Api(String apiKey) {
        if (apiKey == null || apiKey.isBlank()) {
            throw new Failure(
                    Failure.AUTH, "not_logged_in", "No API key: run 'drawbridge login' or set DRAWBRIDGE_API_KEY.");
        }
        this.apiKey = apiKey;
    }

    JsonNode get(URI base, String path) {
        return send(request(base, path).GET().build());
    }

    JsonNode post(URI base, String path, Object body) {
        return send(request(base, path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build());
    }

    HttpClient http() {
        return http;
    }

    private HttpRequest.Builder request(URI base, String path) {
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofMinutes(5))
                .header("Authorization", "Bearer " + apiKey)
                .header("Accept", "application/json");
    }

    private JsonNode send(HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Failure(Failure.UNAVAILABLE, "unreachable", request.uri().getAuthority() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(Failure.UNAVAILABLE, "interrupted", "interrupted");
        }
        JsonNode body = response.body().isBlank() ? JSON.createObjectNode() : parse(response.body());
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return body;
        }
        String error = body.path("error").asText("http_" + status);
        String detail = body.path("detail").asText("");
        int code =
                status == 401 || status == 403 ? Failure.AUTH : status >= 500 ? Failure.UNAVAILABLE : Failure.REFUSED;
        throw new Failure(code, error, detail);
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (RuntimeException e) {
            return JSON.createObjectNode().put("detail", body.length() > 200 ? body.substring(0, 200) : body);
        }
    }

    /** A failed command: its exit code, a machine code and a sentence. */
    static final class Failure extends RuntimeException {
        static final int REFUSED = 4;
        static final int AUTH = 3;
        static final int UNAVAILABLE = 5;

        final int exitCode;
        final String error;

        Failure(int exitCode, String error, String detail) {
            super(detail, null, false, false);
            this.exitCode = exitCode;
            this.error = error;
        }
    }
}
