package io.drawbridge.platform.inbox;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long the processed-event inbox remembers an event ({@code drawbridge.inbox.*}).
 *
 * @param retention rows older than this are deleted; keep it longer than the topics' retention (7 days), so that any
 *     event Kafka can still redeliver is still recognised
 * @param cleanupInterval how often the old rows are deleted
 */
@Validated
@ConfigurationProperties("drawbridge.inbox")
public record InboxProperties(
        @DefaultValue("14d") @NotNull Duration retention, @DefaultValue("1h") @NotNull Duration cleanupInterval) {}
