package io.drawbridge.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;

/**
 * Where the CLI's key and service addresses live: {@code $DRAWBRIDGE_CLI_CONFIG}, else
 * {@code $XDG_CONFIG_HOME/drawbridge/cli.properties}, else {@code ~/.config/drawbridge/cli.properties}; mode 600.
 * The environment ({@code DRAWBRIDGE_API_KEY}, {@code DRAWBRIDGE_TOKEN_SERVICE_URL}, ...) overrides the file, so
 * {@code source .devstack/env} is enough against the dev stack.
 */
record CliConfig(String apiKey, URI tokenService, URI fileService, URI auditService) {

    static final String API_KEY = "DRAWBRIDGE_API_KEY";
    static final String TOKEN_SERVICE = "DRAWBRIDGE_TOKEN_SERVICE_URL";
    static final String FILE_SERVICE = "DRAWBRIDGE_FILE_SERVICE_URL";
    static final String AUDIT_SERVICE = "DRAWBRIDGE_AUDIT_SERVICE_URL";

    static Path file(Map<String, String> env) {
        String explicit = env.get("DRAWBRIDGE_CLI_CONFIG");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("drawbridge").resolve("cli.properties");
    }

    static Properties read(Path file) throws IOException {
        Properties stored = new Properties();
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                stored.load(reader);
            }
        }
        return stored;
    }

    static CliConfig load(Map<String, String> env) throws IOException {
        Properties stored = read(file(env));
        return new CliConfig(
                pick(env, stored, API_KEY, null),
                URI.create(pick(env, stored, TOKEN_SERVICE, "http://localhost:8081")),
                URI.create(pick(env, stored, FILE_SERVICE, "http://localhost:8082")),
                URI.create(pick(env, stored, AUDIT_SERVICE, "http://localhost:8084")));
    }

    static void write(Path file, Properties values) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temp = Files.createTempFile(
                file.toAbsolutePath().getParent(),
                "cli",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Writer writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
            values.store(writer, "Drawbridge CLI (bin/drawbridge login)");
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String pick(Map<String, String> env, Properties stored, String name, String fallback) {
        String value = env.get(name);
        if (value != null && !value.isBlank()) {
            return value;
        }
        value = stored.getProperty(name);
        return value != null && !value.isBlank() ? value : fallback;
    }
}
