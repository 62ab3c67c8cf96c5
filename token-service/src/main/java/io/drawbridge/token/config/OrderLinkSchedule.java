package io.drawbridge.token.config;

import io.drawbridge.token.mail.domain.LinkDelivery;
import io.drawbridge.token.orders.domain.OrderLinks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Every {@code drawbridge.token.orders.sweep-interval}: issues the order lines that are due (a storefront's claim
 * window ran out, a failed line's retry time came) and marks emails that were never sent (their process stopped)
 * as failed. A pass that fails is logged and the next one tries again; nothing blocks a thread.
 */
@Component
@ConditionalOnProperty(prefix = "drawbridge.token.orders", name = "sweep-enabled", matchIfMissing = true)
class OrderLinkSchedule implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OrderLinkSchedule.class);

    private final OrderLinks links;
    private final LinkDelivery delivery;
    private final OrderLinkProperties properties;
    private volatile Disposable running;

    OrderLinkSchedule(OrderLinks links, LinkDelivery delivery, OrderLinkProperties properties) {
        this.links = links;
        this.delivery = delivery;
        this.properties = properties;
    }

    @Override
    public void start() {
        running = Flux.interval(properties.sweepInterval(), properties.sweepInterval())
                .onBackpressureDrop()
                .concatMap(tick -> links.issueDue()
                        .then(delivery.abandonStale())
                        .then()
                        .onErrorResume(e -> {
                            log.warn("Order link sweep failed, next pass in {}", properties.sweepInterval(), e);
                            return Mono.empty();
                        }))
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable current = running;
        if (current != null) {
            current.dispose();
        }
        running = null;
    }

    @Override
    public boolean isRunning() {
        return running != null;
    }
}
