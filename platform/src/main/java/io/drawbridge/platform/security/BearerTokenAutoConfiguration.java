package io.drawbridge.platform.security;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.client.WebClient;

/** Bearer-token protection of the admin and internal routes of every reactive Drawbridge service. */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@EnableConfigurationProperties(SecurityProperties.class)
public class BearerTokenAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    BearerTokenWebFilter bearerTokenWebFilter(
            SecurityProperties properties, ObjectProvider<ApiKeyIntrospector> apiKeys) {
        return new BearerTokenWebFilter(properties, apiKeys.getIfAvailable());
    }

    /** API keys are checked by their owner when this service knows where it is ({@code DRAWBRIDGE_API_KEYS_URL}). */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnExpression("'${drawbridge.security.api-keys-url:}' != ''")
    ApiKeyIntrospector apiKeyIntrospector(SecurityProperties properties, ObjectProvider<WebClient.Builder> builder) {
        return new CachingApiKeyIntrospector(
                builder.getIfAvailable(WebClient::builder),
                properties.apiKeysUrl(),
                properties.serviceToken(),
                properties.apiKeysCacheTtl());
    }

    @Bean
    static ProtectedRoutesCheck protectedRoutesCheck(ApplicationContext context, SecurityProperties properties) {
        return new ProtectedRoutesCheck(context, properties);
    }
}
