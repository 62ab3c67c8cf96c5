package io.drawbridge.events;

/**
 * Kafka header names every record carries. Metadata lives in headers rather than in the payload so that the
 * payload stays the pure event and consumers can route, dedupe and trace without parsing it.
 */
public final class EventHeaders {

    /** A UUID unique per event; consumers dedupe on it (delivery is at least once). */
    public static final String EVENT_ID = "event-id";

    /** The event's simple record name, e.g. {@code DownloadRequested}; never a Java class name. */
    public static final String EVENT_TYPE = "event-type";

    /** The event's schema major version, e.g. {@code 1}. */
    public static final String EVENT_VERSION = "event-version";

    /** When the event happened, ISO-8601 (e.g. {@code 2025-01-31T10:15:30Z}). */
    public static final String OCCURRED_AT = "occurred-at";

    /** W3C trace context, so a download can be followed across services. */
    public static final String TRACEPARENT = "traceparent";

    private EventHeaders() {}
}
