package io.drawbridge.bench;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Command-line options over the dev stack's environment ({@code source .devstack/env}). */
final class Settings {

    private final Map<String, String> options;
    private final Map<String, String> environment;

    Settings(Map<String, String> options, Map<String, String> environment) {
        this.options = options;
        this.environment = environment;
    }

    String text(String option, String fallback) {
        return options.getOrDefault(option, fallback);
    }

    int number(String option, int fallback) {
        return Integer.parseInt(options.getOrDefault(option, Integer.toString(fallback)));
    }

    List<URI> uris(String option, String fallback) {
        return Arrays.stream(text(option, fallback).split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(URI::create)
                .toList();
    }

    String env(String name) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: source .devstack/env (bin/dev writes it)");
        }
        return value;
    }

    String env(String name, String fallback) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    AdminApi adminApi() {
        return new AdminApi(
                URI.create(env("DRAWBRIDGE_TOKEN_SERVICE_URL", "http://localhost:8081")),
                URI.create(env("DRAWBRIDGE_FILE_SERVICE_URL", "http://localhost:8082")),
                env("DRAWBRIDGE_ADMIN_TOKEN"));
    }
}
