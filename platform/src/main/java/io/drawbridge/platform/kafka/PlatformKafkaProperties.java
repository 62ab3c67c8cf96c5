package io.drawbridge.platform.kafka;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the platform wires Kafka for a service ({@code drawbridge.kafka.*}).
 *
 * @param createTopics declare every event topic and its dead-letter topic at startup (dev and tests; production
 *     may create them ahead with the right replication)
 * @param partitions partitions of each declared topic
 * @param replicas replication factor of each declared topic; 0 = the broker's default
 * @param retries delivery attempts after the first failure before a record goes to its dead-letter topic (failures
 *     that are not transient; transient ones are retried until they pass)
 * @param retryBackoff pause between those attempts, and the first pause of a transient failure's back-off
 * @param transientRetryMaxInterval the longest pause between attempts of a transient failure (the back-off doubles
 *     up to it and stays there); well below {@code max.poll.interval.ms}
 */
@Validated
@ConfigurationProperties("drawbridge.kafka")
public record PlatformKafkaProperties(
        @DefaultValue("true") boolean createTopics,
        @DefaultValue("3") @Min(1) int partitions,
        @DefaultValue("0") @Min(0) int replicas,
        @DefaultValue("3") @Min(0) int retries,
        @DefaultValue("200ms") @NotNull Duration retryBackoff,
        @DefaultValue("30s") @NotNull Duration transientRetryMaxInterval) {}
