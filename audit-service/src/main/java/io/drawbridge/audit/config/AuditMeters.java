package io.drawbridge.audit.config;

import io.drawbridge.events.EventType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/**
 * Registers audit-service's counters at zero on startup, so dashboards and alerts see a series (and a rate of 0)
 * before the first event instead of "no data". The names are the team's contract (team-notes "Metric names").
 */
@Component
class AuditMeters implements MeterBinder {

    @Override
    public void bindTo(MeterRegistry registry) {
        for (EventType<?> type : io.drawbridge.events.EventCatalog.all()) {
            for (String outcome : new String[] {"stored", "duplicate"}) {
                Counter.builder("drawbridge.audit.events")
                        .description("Events consumed by audit-service")
                        .tag("topic", type.topic())
                        .tag("type", type.name())
                        .tag("outcome", outcome)
                        .register(registry);
            }
        }
        for (String outcome : new String[] {"completed", "failed", "revoked", "denied"}) {
            Counter.builder("drawbridge.audit.downloads")
                    .description("Download log rows entering an outcome")
                    .tag("outcome", outcome)
                    .register(registry);
        }
        for (io.drawbridge.events.ShareChange change : io.drawbridge.events.ShareChange.values()) {
            Counter.builder("drawbridge.audit.shares")
                    .description("One-time share changes recorded (created, read, burnt, expired, locked)")
                    .tag("change", change.wire())
                    .register(registry);
        }
        for (String status : new String[] {"paid", "refunded"}) {
            Counter.builder("drawbridge.audit.orders")
                    .description("Order status changes recorded")
                    .tag("status", status)
                    .register(registry);
        }
        for (String table : new String[] {"download_log", "audit_event"}) {
            Counter.builder("drawbridge.audit.purged")
                    .description("Rows deleted by the retention purge")
                    .tag("table", table)
                    .register(registry);
        }
    }
}
