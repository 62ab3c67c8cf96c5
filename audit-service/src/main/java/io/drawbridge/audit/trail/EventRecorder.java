package io.drawbridge.audit.trail;

import io.drawbridge.audit.downloads.persistence.DownloadLedger;
import io.drawbridge.audit.privacy.persistence.CustomerErasure;
import io.drawbridge.audit.trail.domain.ConsumedEvent;
import io.drawbridge.audit.trail.persistence.AuditTrailStore;
import io.drawbridge.events.EventCatalog;
import io.drawbridge.events.OrderStatusChanged;
import io.drawbridge.events.ShareChanged;
import io.drawbridge.platform.inbox.ProcessedEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Records each consumed event once: the audit trail row, the download log facts it carries, and the business
 * counters, all in the transaction of its processed-event row (a poll's worth of events share one transaction), so a redelivered event changes nothing and a
 * failure leaves nothing half-done. An event about an erased customer is stored as the erasure left the rest:
 * email pseudonymised before it is stored, client IPs and user agents removed before the transaction commits.
 */
@Service
public class EventRecorder {

    /** Counter of consumed events by topic, type and outcome (stored, duplicate, malformed). */
    public static final String EVENTS_METER = "drawbridge.audit.events";

    static final String DOWNLOADS_METER = "drawbridge.audit.downloads";
    static final String ORDERS_METER = "drawbridge.audit.orders";
    static final String SHARES_METER = "drawbridge.audit.shares";

    /** The consumer name in the processed-event table. */
    static final String CONSUMER = "audit-service";

    private final ProcessedEvents processedEvents;
    private final CustomerErasure erasure;
    private final AuditTrailStore trail;
    private final DownloadLedger downloads;
    private final MeterRegistry registry;
    private final TransactionalOperator transactions;

    EventRecorder(
            ProcessedEvents processedEvents,
            CustomerErasure erasure,
            AuditTrailStore trail,
            DownloadLedger downloads,
            MeterRegistry registry,
            TransactionalOperator transactions) {
        this.transactions = transactions;
        this.processedEvents = processedEvents;
        this.erasure = erasure;
        this.trail = trail;
        this.downloads = downloads;
        this.registry = registry;
    }

    public Mono<Recording> record(ConsumedEvent received) {
        return recordAll(List.of(received)).map(recordings -> recordings.get(0));
    }

    /**
     * Records {@code events} in their order, in one transaction: all of them or, when one fails, none (the caller
     * then records them one at a time to find the one that fails). What is the same for every event is done once
     * for the poll: marking them processed, looking up erased customers, removing erased customers' client details.
     * The counters move only once it committed.
     */
    public Mono<List<Recording>> recordAll(List<ConsumedEvent> events) {
        return transactions
                .transactional(processedEvents
                        .firstTimes(
                                CONSUMER,
                                events.stream().map(ConsumedEvent::eventId).toList())
                        .flatMap(fresh -> {
                            List<ConsumedEvent> toApply = firstOccurrences(events, fresh);
                            return apply(toApply).map(recorded -> recordings(events, toApply, recorded));
                        }))
                .doOnNext(recordings -> {
                    for (int i = 0; i < recordings.size(); i++) {
                        count(events.get(i), recordings.get(i));
                    }
                });
    }

    /** The events to apply: each one not processed before, once, at its first place in the poll. */
    private static List<ConsumedEvent> firstOccurrences(List<ConsumedEvent> events, Set<UUID> fresh) {
        Set<UUID> taken = new HashSet<>();
        return events.stream()
                .filter(event -> fresh.contains(event.eventId()) && taken.add(event.eventId()))
                .toList();
    }

    /** A recording per event of the poll: what applying it did, or a duplicate. */
    private static List<Recording> recordings(
            List<ConsumedEvent> events, List<ConsumedEvent> applied, List<Recording> recorded) {
        Map<ConsumedEvent, Recording> byEvent = new IdentityHashMap<>();
        for (int i = 0; i < applied.size(); i++) {
            byEvent.put(applied.get(i), recorded.get(i));
        }
        return events.stream()
                .map(event -> byEvent.getOrDefault(event, Recording.duplicate()))
                .toList();
    }

    private Mono<List<Recording>> apply(List<ConsumedEvent> received) {
        if (received.isEmpty()) {
            return Mono.just(List.of());
        }
        return erasure.pseudonymiseIfErased(received).flatMap(stored -> Flux.fromIterable(stored)
                .concatMap(event ->
                        trail.append(event).then(downloads.apply(event)).map(outcomes -> new Recording(true, outcomes)))
                .collectList()
                .flatMap(recorded -> erasure.removeClientDetailsIfErased(stored).thenReturn(recorded)));
    }

    private void count(ConsumedEvent event, Recording recording) {
        Counter.builder(EVENTS_METER)
                .description("Events consumed by audit-service")
                .tag("topic", event.topic())
                .tag("type", typeTag(event.type()))
                .tag("outcome", recording.stored() ? "stored" : "duplicate")
                .register(registry)
                .increment();
        for (String outcome : recording.downloadOutcomes()) {
            Counter.builder(DOWNLOADS_METER)
                    .description("Download log rows entering an outcome")
                    .tag("outcome", outcome)
                    .register(registry)
                    .increment();
        }
        if (recording.stored() && event.event() instanceof ShareChanged share && share.change() != null) {
            Counter.builder(SHARES_METER)
                    .description("One-time share changes recorded (created, read, burnt, expired, locked)")
                    .tag("change", share.change().wire())
                    .register(registry)
                    .increment();
        }
        if (recording.stored() && event.event() instanceof OrderStatusChanged order && order.status() != null) {
            Counter.builder(ORDERS_METER)
                    .description("Order status changes recorded")
                    .tag("status", order.status().toLowerCase(Locale.ROOT))
                    .register(registry)
                    .increment();
        }
    }

    /** An event type as a meter tag: catalog names only, so a stranger's header cannot explode the series. */
    public static String typeTag(String type) {
        return EventCatalog.byName(type).map(known -> known.name()).orElse("unknown");
    }
}
