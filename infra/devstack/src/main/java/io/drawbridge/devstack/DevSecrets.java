package io.drawbridge.devstack;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The dev stack's secrets, generated on first start and kept in {@code .devstack/secrets} (mode 600) so that they
 * survive restarts: links signed yesterday still verify, the database password matches the persisted cluster, and a
 * script holding the admin token keeps working. Production has no defaults for any of these; only the dev stack
 * makes them up.
 */
final class DevSecrets {

    static final String ADMIN_TOKEN = "DRAWBRIDGE_ADMIN_TOKEN";
    static final String SERVICE_TOKEN = "DRAWBRIDGE_SERVICE_TOKEN";
    static final String GRANT_SECRET = "DRAWBRIDGE_GRANT_SECRET";
    static final String DB_PASSWORD = "DRAWBRIDGE_DB_PASSWORD";
    static final String AUDIT_ERASURE_SALT = "DRAWBRIDGE_AUDIT_ERASURE_SALT";

    /** The console's seller account: a user name, its password (for the banner) and the hash the console checks. */
    static final String CONSOLE_USER = "DRAWBRIDGE_CONSOLE_USER";

    static final String CONSOLE_PASSWORD = "DRAWBRIDGE_CONSOLE_PASSWORD";
    static final String CONSOLE_PASSWORD_HASH = "DRAWBRIDGE_CONSOLE_PASSWORD_HASH";

    /** The console seals sellers' webhook signing secrets with it (AES-256-GCM; 32 random bytes, base64url). */
    static final String CONSOLE_WEBHOOK_KEY = "DRAWBRIDGE_CONSOLE_WEBHOOK_KEY";

    /** order-sync-service verifies Stripe webhooks with it; bin/stripe-webhook signs demo webhooks with it. */
    static final String STRIPE_WEBHOOK_SECRETS = "STRIPE_WEBHOOK_SECRETS";

    /** order-sync-service pulls orders from the Antistock sandbox with it ({@link DevAntistock}). */
    static final String ANTISTOCK_API_TOKEN = "ANTISTOCK_API_TOKEN";

    /** Secrets every service process gets; the database password travels with the infrastructure endpoints. */
    static final List<String> SERVICE_SECRETS = List.of(
            ADMIN_TOKEN,
            SERVICE_TOKEN,
            GRANT_SECRET,
            AUDIT_ERASURE_SALT,
            STRIPE_WEBHOOK_SECRETS,
            ANTISTOCK_API_TOKEN,
            CONSOLE_USER,
            CONSOLE_PASSWORD_HASH,
            CONSOLE_WEBHOOK_KEY);

    private static final List<String> ALL = List.of(
            ADMIN_TOKEN,
            SERVICE_TOKEN,
            GRANT_SECRET,
            DB_PASSWORD,
            AUDIT_ERASURE_SALT,
            STRIPE_WEBHOOK_SECRETS,
            ANTISTOCK_API_TOKEN,
            CONSOLE_USER,
            CONSOLE_PASSWORD,
            CONSOLE_WEBHOOK_KEY);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, String> values;

    private DevSecrets(Map<String, String> values) {
        this.values = values;
    }

    /** Reads the file, adds any secret it lacks (a newer dev stack may know more) and writes it back. */
    static DevSecrets loadOrCreate(Path file) throws IOException {
        Properties stored = new Properties();
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                stored.load(reader);
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        boolean changed = false;
        for (String name : ALL) {
            String value = stored.getProperty(name);
            if (value == null || value.isBlank()) {
                value = name.equals(CONSOLE_USER) ? "seller" : generate(prefix(name));
                changed = true;
            }
            values.put(name, value);
        }
        // Only the hash goes to the console, made (bcrypt) from the password at each start: never stored beside it.
        values.put(
                CONSOLE_PASSWORD_HASH, "{bcrypt}" + new BCryptPasswordEncoder().encode(values.get(CONSOLE_PASSWORD)));
        if (changed) {
            Map<String, String> stored2 = new LinkedHashMap<>(values);
            stored2.remove(CONSOLE_PASSWORD_HASH);
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(
                    file.getParent(),
                    "secrets",
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Properties properties = new Properties();
            properties.putAll(stored2);
            try (Writer writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                properties.store(writer, "Drawbridge dev stack secrets (generated; delete with bin/dev --fresh)");
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return new DevSecrets(values);
    }

    String get(String name) {
        return values.get(name);
    }

    Map<String, String> serviceSecrets() {
        Map<String, String> secrets = new LinkedHashMap<>();
        SERVICE_SECRETS.forEach(name -> secrets.put(name, values.get(name)));
        return secrets;
    }

    /** Recognisable in a log or a diff: the admin token says it is one; Stripe's secrets start with whsec_. */
    private static String prefix(String name) {
        return switch (name) {
            case ADMIN_TOKEN -> "dev_admin_";
            case STRIPE_WEBHOOK_SECRETS -> "whsec_dev_";
            case ANTISTOCK_API_TOKEN -> "as_dev_";
            default -> "";
        };
    }

    private static String generate(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
