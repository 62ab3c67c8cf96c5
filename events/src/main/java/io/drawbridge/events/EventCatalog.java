package io.drawbridge.events;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every event the system knows, by name, record and topic. Producers use it to set headers and pick the topic;
 * consumers use it to turn an {@code event-type} header back into a record without class names on the wire.
 */
public final class EventCatalog {

    private static final List<EventType<?>> ALL = List.of(
            EventType.v1(DownloadRequested.class, Topics.DOWNLOAD_REQUESTS),
            EventType.v1(DownloadGranted.class, Topics.DOWNLOAD_REPLIES),
            EventType.v1(DownloadDenied.class, Topics.DOWNLOAD_REPLIES),
            EventType.v1(DownloadCompleted.class, Topics.DOWNLOADS),
            EventType.v1(DownloadFailed.class, Topics.DOWNLOADS),
            EventType.v1(TokenIssued.class, Topics.TOKENS),
            EventType.v1(TokenRevoked.class, Topics.TOKENS),
            EventType.v1(TokenExhausted.class, Topics.TOKENS),
            EventType.v1(GrantSettled.class, Topics.TOKENS),
            EventType.v1(LinkEmailed.class, Topics.TOKENS),
            EventType.v1(LinkViewed.class, Topics.DOWNLOADS),
            EventType.v1(OrderStatusChanged.class, Topics.ORDERS),
            EventType.v1(FileStored.class, Topics.FILES),
            EventType.v1(FileDeleted.class, Topics.FILES),
            EventType.v1(ReleasePublished.class, Topics.RELEASES),
            EventType.v1(ProductBrandingChanged.class, Topics.RELEASES),
            EventType.v1(ConsoleActionRecorded.class, Topics.CONSOLE),
            EventType.v1(ShareChanged.class, Topics.SHARES),
            EventType.v1(CustomerErasureRequested.class, Topics.PRIVACY),
            EventType.v1(CustomerErased.class, Topics.PRIVACY));

    private static final Map<String, EventType<?>> BY_NAME = index(ALL);
    private static final Map<Class<?>, EventType<?>> BY_CLASS = indexByClass(ALL);

    private EventCatalog() {}

    /** Every event type, in a stable order. */
    public static List<EventType<?>> all() {
        return ALL;
    }

    /** The type named by an {@code event-type} header value; empty for a type this build does not know. */
    public static Optional<EventType<?>> byName(String name) {
        return Optional.ofNullable(name == null ? null : BY_NAME.get(name));
    }

    /** The type of a record class; throws for a class that is not in the catalog (a programming error). */
    @SuppressWarnings("unchecked")
    public static <E extends Event> EventType<E> of(Class<E> type) {
        EventType<?> eventType = BY_CLASS.get(type);
        if (eventType == null) {
            throw new IllegalArgumentException(type.getName() + " is not in the event catalog");
        }
        return (EventType<E>) eventType;
    }

    /** The type of an event instance. */
    @SuppressWarnings("unchecked")
    public static <E extends Event> EventType<E> of(E event) {
        return of((Class<E>) event.getClass());
    }

    /** The types published on {@code topic}. */
    public static List<EventType<?>> onTopic(String topic) {
        return ALL.stream().filter(type -> type.topic().equals(topic)).toList();
    }

    private static Map<String, EventType<?>> index(List<EventType<?>> types) {
        Map<String, EventType<?>> byName = new LinkedHashMap<>();
        for (EventType<?> type : types) {
            if (byName.put(type.name(), type) != null) {
                throw new IllegalStateException("duplicate event type " + type.name());
            }
        }
        return Map.copyOf(byName);
    }

    private static Map<Class<?>, EventType<?>> indexByClass(List<EventType<?>> types) {
        Map<Class<?>, EventType<?>> byClass = new LinkedHashMap<>();
        types.forEach(type -> byClass.put(type.type(), type));
        return Map.copyOf(byClass);
    }
}
