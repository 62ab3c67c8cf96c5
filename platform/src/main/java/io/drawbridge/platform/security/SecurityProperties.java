package io.drawbridge.platform.security;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who may call a service's protected routes ({@code drawbridge.security.*}). The secrets have no defaults: they
 * come from the environment ({@code DRAWBRIDGE_ADMIN_TOKEN}, {@code DRAWBRIDGE_SERVICE_TOKEN}) and a service that
 * serves protected routes refuses to start without them.
 *
 * @param adminToken bearer token for {@code /api/v1/**}
 * @param serviceToken bearer token for service-to-service calls on {@code /internal/**}
 * @param publicPaths path patterns exempt from both (e.g. the gateway's {@code /api/v1/downloads},
 *     {@code /webhooks/**}); {@code /actuator/**} is always open
 * @param apiKeysUrl base URL of the service that owns API keys (the console, {@code DRAWBRIDGE_API_KEYS_URL}); empty:
 *     this service accepts the admin token only
 * @param apiKeysCacheTtl how long an API key's check is remembered (a revoked key works at most this long)
 * @param scopeRules {@code "METHOD /path/pattern scope"}: the scope an API key needs for a route (see
 *     {@link ScopeRules}; unlisted reads need {@code read}, unlisted writes {@code admin})
 */
@Validated
@ConfigurationProperties("drawbridge.security")
public record SecurityProperties(
        String adminToken,
        String serviceToken,
        @DefaultValue List<String> publicPaths,
        String apiKeysUrl,
        @DefaultValue("30s") Duration apiKeysCacheTtl,
        @DefaultValue List<String> scopeRules) {

    public SecurityProperties {
        publicPaths = publicPaths == null ? List.of() : List.copyOf(publicPaths);
        scopeRules = scopeRules == null ? List.of() : List.copyOf(scopeRules);
        apiKeysCacheTtl = apiKeysCacheTtl == null ? Duration.ofSeconds(30) : apiKeysCacheTtl;
    }

    boolean hasApiKeysUrl() {
        return apiKeysUrl != null && !apiKeysUrl.isBlank();
    }

    boolean hasAdminToken() {
        return adminToken != null && !adminToken.isBlank();
    }

    boolean hasServiceToken() {
        return serviceToken != null && !serviceToken.isBlank();
    }

    @Override
    public String toString() {
        return "SecurityProperties[adminToken=" + (hasAdminToken() ? "(set)" : "(empty)") + ", serviceToken="
                + (hasServiceToken() ? "(set)" : "(empty)") + ", publicPaths=" + publicPaths + ", apiKeysUrl="
                + apiKeysUrl + ", scopeRules=" + scopeRules + "]";
    }
}
