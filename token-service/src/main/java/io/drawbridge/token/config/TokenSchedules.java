package io.drawbridge.token.config;

import io.drawbridge.platform.schedule.RecurringJob;
import io.drawbridge.token.delivery.domain.GrantSweep;
import io.drawbridge.token.mail.domain.LinkDelivery;
import io.drawbridge.token.orders.domain.OrderLinks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** token-service's recurring work; each can be switched off (tests drive them by hand). */
@Configuration(proxyBeanMethods = false)
class TokenSchedules {

    private static final Logger log = LoggerFactory.getLogger(TokenSchedules.class);

    /** Every {@code drawbridge.token.grant-sweep-interval}: grants that expired undelivered give their use back. */
    @Bean
    @ConditionalOnProperty(prefix = "drawbridge.token", name = "grant-sweep-enabled", matchIfMissing = true)
    RecurringJob grantSweepJob(GrantSweep sweep, TokenProperties properties) {
        return new RecurringJob(
                "Grant sweep", properties.grantSweepInterval(), properties.grantSweepInterval(), () -> sweep.run()
                        .doOnNext(released -> {
                            if (released > 0) {
                                log.info("Released {} expired grants", released);
                            }
                        }));
    }

    /**
     * Every {@code drawbridge.token.orders.sweep-interval}: issues the order lines that are due (a storefront's claim
     * window ran out, a failed line's retry time came) and marks emails that were never sent (their process stopped)
     * as failed.
     */
    @Bean
    @ConditionalOnProperty(prefix = "drawbridge.token.orders", name = "sweep-enabled", matchIfMissing = true)
    RecurringJob orderLinkSweepJob(OrderLinks links, LinkDelivery delivery, OrderLinkProperties properties) {
        return new RecurringJob(
                "Order link sweep", properties.sweepInterval(), properties.sweepInterval(), () -> links.issueDue()
                        .then(delivery.abandonStale()));
    }
}
