package io.drawbridge.platform;

import io.drawbridge.platform.kafka.EventDeserializer;
import io.drawbridge.platform.kafka.EventSerializer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;

/**
 * Makes the platform's choices the defaults of every service, added last so a service's own configuration still
 * wins: the security tokens come from {@code DRAWBRIDGE_ADMIN_TOKEN} and {@code DRAWBRIDGE_SERVICE_TOKEN}; Kafka
 * producers are durable and idempotent (acks=all) with String keys and event JSON values without type headers;
 * consumers read events by their {@code event-type} header and survive malformed payloads.
 */
class PlatformDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String SOURCE_NAME = "drawbridgePlatformDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("drawbridge.security.admin-token", "${DRAWBRIDGE_ADMIN_TOKEN:}");
        defaults.put("drawbridge.security.service-token", "${DRAWBRIDGE_SERVICE_TOKEN:}");
        defaults.put("drawbridge.security.api-keys-url", "${DRAWBRIDGE_API_KEYS_URL:}");
        defaults.put("spring.kafka.producer.acks", "all");
        defaults.put("spring.kafka.producer.properties[enable.idempotence]", "true");
        defaults.put("spring.kafka.producer.properties[max.in.flight.requests.per.connection]", "5");
        // A send blocks its caller while the broker is unreachable; 60 s (Kafka's default) is too long for anyone.
        defaults.put("spring.kafka.producer.properties[max.block.ms]", "10000");
        defaults.put("spring.kafka.producer.key-serializer", StringSerializer.class.getName());
        defaults.put("spring.kafka.producer.value-serializer", EventSerializer.class.getName());
        defaults.put("spring.kafka.consumer.key-deserializer", StringDeserializer.class.getName());
        defaults.put("spring.kafka.consumer.value-deserializer", ErrorHandlingDeserializer.class.getName());
        defaults.put(
                "spring.kafka.consumer.properties[" + ErrorHandlingDeserializer.VALUE_DESERIALIZER_CLASS + "]",
                EventDeserializer.class.getName());
        defaults.put("spring.kafka.consumer.auto-offset-reset", "earliest");
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, defaults));
    }
}
