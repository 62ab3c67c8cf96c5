package io.drawbridge.console.webhook;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Outgoing webhooks to sellers ({@code drawbridge.console.webhooks.*}).
 *
 * @param secretKey base64 of 32 random bytes: the AES-256-GCM key that seals endpoints' signing secrets in the
 *     database ({@code DRAWBRIDGE_CONSOLE_WEBHOOK_KEY}); without it no endpoint can be created
 * @param allowHttp plain {@code http://} endpoints are accepted (the dev stack; production wants https)
 * @param allowPrivateAddresses endpoints may resolve to loopback, private, link-local or other internal addresses (the
 *     dev stack's receivers on 127.0.0.1); off, they are refused when created and again before every attempt
 * @param retrySchedule the waits before the 2nd, 3rd, ... attempt (each stretched by up to 10 % at random); after the
 *     last one the delivery has failed. The default spreads 8 attempts over about 28 hours, as Standard Webhooks' and
 *     Svix's schedules do
 * @param disableAfter an endpoint that has failed without one success for this long is disabled when one more delivery
 *     runs out of attempts
 * @param pollInterval how often the sender looks for due deliveries
 * @param timeout one attempt's limit, from connecting to the response's status
 * @param batchSize deliveries claimed per poll
 * @param concurrency attempts in flight at once
 */
@Validated
@ConfigurationProperties("drawbridge.console.webhooks")
public record WebhookProperties(
        String secretKey,
        @DefaultValue("false") boolean allowHttp,
        @DefaultValue("false") boolean allowPrivateAddresses,
        @DefaultValue({"5s", "5m", "30m", "2h", "5h", "10h", "10h"}) @NotEmpty List<Duration> retrySchedule,
        @DefaultValue("5d") @NotNull Duration disableAfter,
        @DefaultValue("1s") @NotNull Duration pollInterval,
        @DefaultValue("10s") @NotNull Duration timeout,
        @DefaultValue("20") @Min(1) int batchSize,
        @DefaultValue("4") @Min(1) int concurrency) {

    @Override
    public String toString() {
        return "WebhookProperties[secretKey=" + (secretKey == null || secretKey.isBlank() ? "unset" : "set")
                + ", allowHttp=" + allowHttp + ", allowPrivateAddresses=" + allowPrivateAddresses + ", retrySchedule="
                + retrySchedule + "]";
    }
}
