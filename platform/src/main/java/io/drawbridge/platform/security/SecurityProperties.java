package io.drawbridge.platform.security;

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
 */
@Validated
@ConfigurationProperties("drawbridge.security")
public record SecurityProperties(String adminToken, String serviceToken, @DefaultValue List<String> publicPaths) {

    public SecurityProperties {
        publicPaths = publicPaths == null ? List.of() : List.copyOf(publicPaths);
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
                + (hasServiceToken() ? "(set)" : "(empty)") + ", publicPaths=" + publicPaths + "]";
    }
}
