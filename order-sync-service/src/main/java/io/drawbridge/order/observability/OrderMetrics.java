package io.drawbridge.order.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * The service's own meters, all with low-cardinality tags (a closed set of types, reasons, statuses and
 * outcomes; never an id or an email), so ops can alert on rejected webhooks, unmapped products and a failing
 * Antistock without exploding Prometheus.
 */
@Component
public class OrderMetrics {

    private final MeterRegistry registry;

    public OrderMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A webhook delivery accepted (signature valid, event parsed); {@code duplicate} when already received. */
    public void webhookReceived(String provider, String typeTag, boolean duplicate) {
        Counter.builder("drawbridge.order.webhooks.received")
                .description("Webhook deliveries accepted")
                .tag("provider", provider)
                .tag("type", typeTag)
                .tag("duplicate", Boolean.toString(duplicate))
                .register(registry)
                .increment();
    }

    /** A webhook delivery refused with 400. */
    public void webhookRejected(String provider, String reason) {
        Counter.builder("drawbridge.order.webhooks.rejected")
                .description("Webhook deliveries refused")
                .tag("provider", provider)
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    /** A stored Stripe event processed (outcome applied, ignored, retry or failed). */
    public void receiptProcessed(String outcome) {
        Counter.builder("drawbridge.order.receipts.processed")
                .description("Stored provider events processed, by outcome")
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    /** An order moved to a status (or was announced again with it). */
    public void statusChanged(String provider, String status) {
        Counter.builder("drawbridge.order.status.changes")
                .description("Order status changes published")
                .tag("provider", provider)
                .tag("status", status)
                .register(registry)
                .increment();
    }

    /** Order lines recorded without a product mapping. */
    public void unmappedLines(String provider, int count) {
        Counter.builder("drawbridge.order.lines.unmapped")
                .description("Order lines whose product could not be identified")
                .tag("provider", provider)
                .register(registry)
                .increment(count);
    }

    /** One run of a scheduled pull ({@code stripe_reconciliation}, {@code antistock_sync}). */
    public void syncRun(String job, String outcome) {
        Counter.builder("drawbridge.order.sync.runs")
                .description("Scheduled provider pulls, by outcome")
                .tag("job", job)
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }
}
