package io.drawbridge.audit.timeline.domain;

import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** Every recorded event of one order, oldest first. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record OrderTimeline(String orderId, List<TimelineEntry> events) {}
