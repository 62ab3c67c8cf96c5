package io.drawbridge.gateway.config;

import io.drawbridge.gateway.grant.domain.GrantLinks;
import io.drawbridge.gateway.grant.domain.GrantSigner;
import io.drawbridge.gateway.grant.messaging.DeliveryReports;
import io.drawbridge.platform.schedule.RecurringJob;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class GrantConfiguration {

    @Bean
    GrantSigner grantSigner(GatewayProperties properties, Clock clock) {
        return new GrantSigner(properties.grantSecret(), properties.bindGrantToIp(), clock);
    }

    /** Sends the delivery reports Kafka could not take, until it takes them. */
    @Bean
    RecurringJob deliveryReportsJob(DeliveryReports reports, GatewayProperties properties) {
        Duration interval = properties.reports().resendInterval();
        return new RecurringJob("Delivery report resend", interval, interval, reports::resend);
    }

    @Bean
    GrantLinks grantLinks(GrantSigner signer, GatewayProperties properties) {
        return new GrantLinks(signer, properties.publicUrl(), properties.zip().defaultName());
    }
}
