package io.drawbridge.platform.outbox;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Tuning of the outbox relay ({@code drawbridge.outbox.*}). Small batches keep a relay's transaction (and the
 * advisory lock it holds) short.
 *
 * @param relayEnabled run the relay in this process (tests turn it off to drive relays by hand)
 * @param batchSize rows sent per transaction
 * @param pollInterval pause when the outbox is empty (a full batch is followed at once by the next)
 * @param errorBackoff pause after a failed attempt (broker or database unavailable)
 * @param sendTimeout how long to wait for the broker's acknowledgements of one batch
 * @param retention how long sent rows are kept before deletion
 */
@Validated
@ConfigurationProperties("drawbridge.outbox")
public record OutboxProperties(
        @DefaultValue("true") boolean relayEnabled,
        @DefaultValue("100") @Min(1) @Max(10_000) int batchSize,
        @DefaultValue("250ms") @NotNull Duration pollInterval,
        @DefaultValue("2s") @NotNull Duration errorBackoff,
        @DefaultValue("30s") @NotNull Duration sendTimeout,
        @DefaultValue("7d") @NotNull Duration retention) {}
