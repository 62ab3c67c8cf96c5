package io.drawbridge.order.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of order-sync-service ({@code drawbridge.order.*}). Secrets (webhook secrets, API key, Antistock
 * token) come from the environment and have no defaults; a pull whose credentials are missing does not run.
 */
@Validated
@ConfigurationProperties("drawbridge.order")
public record OrderSyncProperties(
        @Valid @NotNull @DefaultValue Stripe stripe,
        @Valid @NotNull @DefaultValue Antistock antistock,
        @Valid @NotNull @DefaultValue Receipts receipts) {

    /**
     * @param webhookSecrets endpoint secrets ({@code whsec_...}); several during a rotation ({@code
     *     STRIPE_WEBHOOK_SECRETS}, comma-separated)
     * @param signatureTolerance how far a signature's timestamp may be from now
     * @param apiKey the secret API key ({@code STRIPE_API_KEY}) for reconciliation and line items
     * @param apiBaseUrl Stripe's API, replaced by a local server in tests
     * @param priceSkus Stripe price (or product) id → Drawbridge sku, for prices without {@code drawbridge_sku}
     *     metadata
     * @param requestTimeout per HTTP request to Stripe's API
     */
    public record Stripe(
            @DefaultValue List<String> webhookSecrets,
            @DefaultValue("5m") Duration signatureTolerance,
            String apiKey,
            @NotNull @DefaultValue("https://api.stripe.com") URI apiBaseUrl,
            @DefaultValue Map<String, String> priceSkus,
            @DefaultValue("10s") Duration requestTimeout,
            @Valid @NotNull @DefaultValue Reconciliation reconciliation) {

        public Stripe {
            webhookSecrets = webhookSecrets == null ? List.of() : List.copyOf(webhookSecrets);
            priceSkus = priceSkus == null ? Map.of() : Map.copyOf(priceSkus);
        }

        public boolean hasApiKey() {
            return apiKey != null && !apiKey.isBlank();
        }

        @Override
        public String toString() {
            return "Stripe[webhookSecrets=" + webhookSecrets.size() + " set, apiKey="
                    + (hasApiKey() ? "(set)" : "(empty)") + ", apiBaseUrl=" + apiBaseUrl + "]";
        }
    }

    /**
     * Pulling {@code GET /v1/events} to catch events whose webhook never arrived.
     *
     * @param enabled runs only with an API key as well
     * @param interval time between runs
     * @param initialDelay time before the first run
     * @param lookback how far back the very first run looks
     * @param overlap how far before the last seen event each run starts again (events are deduplicated)
     * @param pageSize {@code limit} per page (Stripe allows up to 100)
     */
    public record Reconciliation(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("10m") Duration interval,
            @DefaultValue("1m") Duration initialDelay,
            @DefaultValue("3d") Duration lookback,
            @DefaultValue("10m") Duration overlap,
            @Min(1) @DefaultValue("100") int pageSize) {}

    /**
     * Pulling customers and orders from Antistock.
     *
     * @param baseUrl Antistock's REST API ({@code ANTISTOCK_BASE_URL})
     * @param apiToken bearer token ({@code ANTISTOCK_API_TOKEN}); without it (or without a base URL) no sync runs
     * @param interval time between runs
     * @param initialDelay time before the first run
     * @param lookback how far back the very first run asks for updated orders
     * @param overlap how far before the newest update seen each run starts again
     * @param pageSize {@code per_page}
     * @param requestTimeout per HTTP request; a slower answer counts as a failure (and is retried)
     * @param maxRetryAfter the longest {@code Retry-After} honoured; a longer one ends the run
     */
    public record Antistock(
            URI baseUrl,
            String apiToken,
            @DefaultValue("5m") Duration interval,
            @DefaultValue("30s") Duration initialDelay,
            @DefaultValue("30d") Duration lookback,
            @DefaultValue("5m") Duration overlap,
            @Min(1) @DefaultValue("100") int pageSize,
            @DefaultValue("10s") Duration requestTimeout,
            @DefaultValue("30s") Duration maxRetryAfter) {

        public boolean configured() {
            return baseUrl != null && !baseUrl.toString().isBlank() && apiToken != null && !apiToken.isBlank();
        }

        @Override
        public String toString() {
            return "Antistock[baseUrl=" + baseUrl + ", apiToken="
                    + (apiToken == null || apiToken.isBlank() ? "(empty)" : "(set)") + ", interval=" + interval + "]";
        }
    }

    /**
     * Processing stored Stripe events.
     *
     * @param sweepInterval how often receipts not yet processed (failed, or left by a crash) are picked up
     * @param batchSize receipts per sweep
     * @param maxAttempts attempts before a receipt is given up (outcome {@code failed}, logged, counted)
     * @param retryBackoff the wait after the first failure, doubled each time up to {@code maxBackoff}
     * @param retention how long a processed receipt (payload with the customer's details) is kept; longer than the
     *     30 days Stripe lists events for, so that reconciliation never meets an event whose receipt is gone
     */
    public record Receipts(
            @DefaultValue("15s") Duration sweepInterval,
            @Min(1) @DefaultValue("50") int batchSize,
            @Min(1) @DefaultValue("12") int maxAttempts,
            @DefaultValue("10s") Duration retryBackoff,
            @DefaultValue("1h") Duration maxBackoff,
            @DefaultValue("90d") Duration retention) {}
}
