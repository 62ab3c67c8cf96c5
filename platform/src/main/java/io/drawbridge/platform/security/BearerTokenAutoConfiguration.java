package io.drawbridge.platform.security;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

/** Bearer-token protection of the admin and internal routes of every reactive Drawbridge service. */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@EnableConfigurationProperties(SecurityProperties.class)
public class BearerTokenAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    BearerTokenWebFilter bearerTokenWebFilter(SecurityProperties properties) {
        return new BearerTokenWebFilter(properties);
    }

    @Bean
    static ProtectedRoutesCheck protectedRoutesCheck(ApplicationContext context, SecurityProperties properties) {
        return new ProtectedRoutesCheck(context, properties);
    }
}
