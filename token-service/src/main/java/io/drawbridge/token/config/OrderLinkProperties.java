package io.drawbridge.token.config;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How paid orders become links ({@code drawbridge.token.orders.*}): one link per order line, allowing {@code
 * maxDownloadsPerUnit × quantity} downloads (capped at {@code drawbridge.token.max-downloads-ceiling}) for {@code
 * expiresIn}.
 *
 * @param maxDownloadsPerUnit downloads a link allows per unit of its order line
 * @param expiresIn how long an order's link lives
 * @param claimWindow per provider (e.g. {@code stripe}): how long after the paid event the links wait for the
 *     storefront's success page to claim them with {@code POST /api/v1/tokens/for-order} (which then shows them and
 *     emails them) before they are issued and emailed anyway. Providers not listed issue at once.
 * @param retryInterval how long a line that could not be issued (a sku the catalog does not know yet) waits before
 *     the next try; a release of that sku retries it at once
 * @param sweepInterval how often due lines are issued and abandoned emails marked failed
 * @param sweepEnabled whether this instance runs the sweep
 */
@Validated
@ConfigurationProperties("drawbridge.token.orders")
public record OrderLinkProperties(
        @Min(1) @DefaultValue("3") int maxDownloadsPerUnit,
        @NotNull @DefaultValue("30d") Duration expiresIn,
        @NotNull @DefaultValue Map<String, Duration> claimWindow,
        @NotNull @DefaultValue("5m") Duration retryInterval,
        @NotNull @DefaultValue("10s") Duration sweepInterval,
        @DefaultValue("true") boolean sweepEnabled) {

    public OrderLinkProperties {
        claimWindow = claimWindow == null ? Map.of() : Map.copyOf(claimWindow);
    }

    /** The claim window of a provider; zero (issue at once) when it has none. */
    public Duration claimWindowOf(String provider) {
        Duration window = provider == null ? null : claimWindow.get(provider);
        return window == null || window.isNegative() ? Duration.ZERO : window;
    }
}
