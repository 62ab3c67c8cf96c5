package io.drawbridge.audit.timeline.domain;

import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * One event in an order's story.
 *
 * @param phase where it sits in the lifecycle: paid, issued, emailed, viewed, requested, granted, denied,
 *     downloaded, download_failed, settled, exhausted, refunded, revoked, order_status or other
 * @param summary one human sentence
 * @param payload the event as published
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TimelineEntry(
        UUID eventId,
        String type,
        String topic,
        Instant occurredAt,
        String phase,
        String summary,
        UUID tokenId,
        JsonNode payload) {}
