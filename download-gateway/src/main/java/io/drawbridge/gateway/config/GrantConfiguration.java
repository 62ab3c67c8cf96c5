package io.drawbridge.gateway.config;

import io.drawbridge.gateway.grant.domain.GrantLinks;
import io.drawbridge.gateway.grant.domain.GrantSigner;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class GrantConfiguration {

    @Bean
    GrantSigner grantSigner(GatewayProperties properties, Clock clock) {
        return new GrantSigner(properties.grantSecret(), properties.bindGrantToIp(), clock);
    }

    @Bean
    GrantLinks grantLinks(GrantSigner signer, GatewayProperties properties) {
        return new GrantLinks(signer, properties.publicUrl(), properties.zip().defaultName());
    }
}
