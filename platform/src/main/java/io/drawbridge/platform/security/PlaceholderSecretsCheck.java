package io.drawbridge.platform.security;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Refuses to start a service whose secrets (passwords, tokens, keys, salts) still hold a placeholder such as the
 * compose example's {@code change-me-to-at-least-32-random-characters}: such a value passes every length check and
 * is public. Runs before anything connects anywhere; names the settings, never their values. The dev stack generates
 * real random secrets, and tests use their own, so the check holds everywhere.
 */
class PlaceholderSecretsCheck implements EnvironmentPostProcessor {

    private static final Pattern SECRET_NAME = Pattern.compile("password|secret|token|salt|apikey|privatekey");
    private static final Pattern PLACEHOLDER = Pattern.compile("changeme|replaceme|placeholder|yoursecret|yourtoken"
            + "|yourpassword|yourkey|^changeit$|^secret$|^password$|^<.*>$");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Set<String> placeholders = new TreeSet<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> enumerable) {
                for (String name : enumerable.getPropertyNames()) {
                    if (isSecretName(name) && isPlaceholder(resolved(environment, name))) {
                        placeholders.add(name);
                    }
                }
            }
        }
        if (!placeholders.isEmpty()) {
            throw new IllegalStateException("These secrets hold a placeholder value, not a secret: " + placeholders
                    + ". Set each to a long random value (for example: openssl rand -base64 32).");
        }
    }

    static boolean isSecretName(String name) {
        return SECRET_NAME
                .matcher(name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", ""))
                .find();
    }

    static boolean isPlaceholder(String value) {
        if (value == null) {
            return false;
        }
        String normalized = value.strip().toLowerCase(Locale.ROOT).replaceAll("[-_ ]", "");
        return !normalized.isEmpty() && PLACEHOLDER.matcher(normalized).find();
    }

    private static String resolved(ConfigurableEnvironment environment, String name) {
        try {
            return environment.getProperty(name);
        } catch (RuntimeException unresolvable) {
            // A reference to something unset: other checks report a missing secret, this one only placeholders.
            return null;
        }
    }
}
