package io.drawbridge.devstack;

import io.drawbridge.embedded.InfrastructureEndpoints;
import java.net.http.HttpClient;
import java.util.Map;

/**
 * What a {@link DemoSeeder} may use: the services' base URLs by module name (e.g. {@code token-service} →
 * {@code http://localhost:8081}), the admin bearer token for {@code /api/v1/**}, the service token for
 * {@code /internal/**}, the infrastructure, and one HTTP client.
 *
 * @param freshData whether this run started from an empty data directory (first run or {@code --fresh})
 * @param exports variables for {@code .devstack/env}, filled by seeders through {@link #export}
 */
public record DemoContext(
        Map<String, String> serviceUrls,
        String adminToken,
        String serviceToken,
        InfrastructureEndpoints infrastructure,
        HttpClient http,
        boolean freshData,
        Map<String, String> exports) {

    /** Adds {@code export NAME='value'} to {@code .devstack/env}, e.g. a link a script can use. */
    public void export(String name, String value) {
        exports.put(name, value);
    }

    /** The base URL of a service by module name. */
    public String url(String service) {
        String url = serviceUrls.get(service);
        if (url == null) {
            throw new IllegalArgumentException("no service " + service + " in " + serviceUrls.keySet());
        }
        return url;
    }

    /** Credentials stay out of logs. */
    @Override
    public String toString() {
        return "DemoContext[serviceUrls=" + serviceUrls + ", freshData=" + freshData + "]";
    }
}
