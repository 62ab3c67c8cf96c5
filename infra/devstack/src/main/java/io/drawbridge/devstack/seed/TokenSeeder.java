package io.drawbridge.devstack.seed;

import io.drawbridge.devstack.DemoContext;
import io.drawbridge.devstack.DemoSeeder;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The download link in the banner: a new user opens it in a browser and downloads. Issued through token-service's
 * admin API for the demo product of {@link CatalogSeeder}, fresh on every start (the plaintext of a link exists only
 * in the issuing response, so an old one cannot be shown again; old links stay valid until they expire).
 *
 * <p>token-service learns the catalog from file-service's events, asynchronously: right after a fresh start it may
 * not know the product yet and answers 422 {@code unknown_product}; this seeder asks again until it does.
 */
public final class TokenSeeder implements DemoSeeder {

    /** In {@code .devstack/env}, for scripts: {@code curl "$DRAWBRIDGE_DEMO_LINK"}. */
    public static final String DEMO_LINK = "DRAWBRIDGE_DEMO_LINK";

    static final String EMAIL = "demo@example.com";
    static final int MAX_DOWNLOADS = 3;
    static final int EXPIRES_IN_HOURS = 168;

    private static final Pattern LINK = Pattern.compile("\"link\"\\s*:\\s*\"([^\"]+)\"");
    private static final Duration CATALOG_WAIT = Duration.ofSeconds(30);
    private static final Duration RETRY_EVERY = Duration.ofMillis(500);

    @Override
    public String name() {
        return "demo download link (token-service)";
    }

    @Override
    public List<String> seed(DemoContext context) throws Exception {
        String body = "{\"customer_email\":\"" + EMAIL + "\",\"product\":\"" + CatalogSeeder.SKU
                + "\",\"max_downloads\":" + MAX_DOWNLOADS + ",\"expires_in_hours\":" + EXPIRES_IN_HOURS
                + ",\"note\":\"dev stack demo link\"}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(context.url("token-service") + "/api/v1/tokens"))
                .header("Authorization", "Bearer " + context.adminToken())
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        long deadline = System.nanoTime() + CATALOG_WAIT.toNanos();
        HttpResponse<String> response;
        while (true) {
            response = context.http().send(request, HttpResponse.BodyHandlers.ofString());
            if (!isUnknownProduct(response) || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(RETRY_EVERY.toMillis());
        }
        if (response.statusCode() != 201) {
            throw new IllegalStateException("POST /api/v1/tokens answered " + response.statusCode() + ": "
                    + response.body()
                    + (isUnknownProduct(response)
                            ? " (token-service did not learn " + CatalogSeeder.SKU + " from file-service's events"
                                    + " within " + CATALOG_WAIT.toSeconds() + " s)"
                            : ""));
        }
        Matcher link = LINK.matcher(response.body());
        if (!link.find()) {
            throw new IllegalStateException("token-service issued a link but sent none: " + response.body());
        }
        context.export(DEMO_LINK, link.group(1));
        return List.of(
                String.format("%-19s %s", "Demo link", link.group(1)),
                String.format(
                        "%-19s (%s, %d downloads, %d days; open it in a browser; a new one on every start)",
                        "", CatalogSeeder.SKU, MAX_DOWNLOADS, EXPIRES_IN_HOURS / 24));
    }

    static boolean isUnknownProduct(HttpResponse<String> response) {
        return response.statusCode() == 422 && response.body().contains("unknown_product");
    }
}
