package io.drawbridge.order.config;

import io.drawbridge.order.antistock.AntistockSync;
import io.drawbridge.order.stripe.ReceiptProcessor;
import io.drawbridge.order.stripe.StripeReconciler;
import io.drawbridge.order.stripe.domain.StripeEventInterpreter;
import io.drawbridge.order.stripe.domain.StripeSignatureVerifier;
import io.drawbridge.order.stripe.domain.StripeSkuMapping;
import io.drawbridge.platform.schedule.RecurringJob;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the Stripe domain objects and the three recurring jobs (receipt sweep, reconciliation, Antistock). */
@Configuration(proxyBeanMethods = false)
class OrderSyncConfiguration {

    private static final Logger log = LoggerFactory.getLogger(OrderSyncConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    StripeSignatureVerifier stripeSignatureVerifier(OrderSyncProperties properties) {
        StripeSignatureVerifier verifier = new StripeSignatureVerifier(
                properties.stripe().webhookSecrets(), properties.stripe().signatureTolerance());
        if (!verifier.configured()) {
            log.warn("No Stripe webhook secret configured (STRIPE_WEBHOOK_SECRETS): every webhook is refused");
        }
        return verifier;
    }

    @Bean
    StripeSkuMapping stripeSkuMapping(OrderSyncProperties properties) {
        return new StripeSkuMapping(properties.stripe().priceSkus());
    }

    @Bean
    StripeEventInterpreter stripeEventInterpreter(StripeSkuMapping skus) {
        return new StripeEventInterpreter(skus);
    }

    @Bean
    RecurringJob receiptSweepJob(ReceiptProcessor processor, OrderSyncProperties properties) {
        var receipts = properties.receipts();
        return new RecurringJob(
                "Stripe receipt sweep", receipts.sweepInterval(), receipts.sweepInterval(), processor::sweep);
    }

    @Bean
    RecurringJob receiptRetentionJob(ReceiptProcessor processor) {
        return new RecurringJob(
                "Stripe receipt retention", Duration.ofMinutes(5), Duration.ofHours(1), processor::forgetOld);
    }

    @Bean
    RecurringJob stripeReconciliationJob(StripeReconciler reconciler, OrderSyncProperties properties) {
        var settings = properties.stripe().reconciliation();
        if (!settings.enabled() || !properties.stripe().hasApiKey()) {
            log.info("Stripe reconciliation is off (needs STRIPE_API_KEY and"
                    + " drawbridge.order.stripe.reconciliation.enabled)");
            return RecurringJob.disabled("Stripe reconciliation");
        }
        return new RecurringJob(
                "Stripe reconciliation", settings.initialDelay(), settings.interval(), reconciler::reconcile);
    }

    @Bean
    RecurringJob antistockSyncJob(AntistockSync sync, OrderSyncProperties properties) {
        var settings = properties.antistock();
        if (!settings.configured()) {
            log.info("Antistock sync is off (needs ANTISTOCK_BASE_URL and ANTISTOCK_API_TOKEN)");
            return RecurringJob.disabled("Antistock sync");
        }
        return new RecurringJob("Antistock sync", settings.initialDelay(), settings.interval(), sync::sync);
    }
}
