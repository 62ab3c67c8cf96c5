package io.drawbridge.audit.config;

import io.drawbridge.audit.privacy.domain.EmailPseudonyms;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Beans of audit-service that are not components of their own. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class AuditConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    EmailPseudonyms emailPseudonyms(AuditProperties properties) {
        return new EmailPseudonyms(properties.erasureSalt());
    }
}
