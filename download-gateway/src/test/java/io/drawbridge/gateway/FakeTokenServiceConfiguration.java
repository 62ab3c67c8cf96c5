package io.drawbridge.gateway;

import io.drawbridge.gateway.config.GatewayInstance;
import io.drawbridge.platform.kafka.EventPublisher;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

@TestConfiguration(proxyBeanMethods = false)
class FakeTokenServiceConfiguration {

    @Bean
    FakeTokenService fakeTokenService(EventPublisher publisher, GatewayInstance instance) {
        return new FakeTokenService(publisher, instance);
    }
}
