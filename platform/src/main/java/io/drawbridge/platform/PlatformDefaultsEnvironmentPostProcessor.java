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
 * consumers read events by their {@code event-type} header and survive malformed payloads. With
 * {@code DRAWBRIDGE_KAFKA_USERNAME} set, every Kafka client (producer, consumer, admin) authenticates as that user
 * (SASL, SCRAM-SHA-512 over TLS unless {@code DRAWBRIDGE_KAFKA_SASL_MECHANISM} and
 * {@code DRAWBRIDGE_KAFKA_SECURITY_PROTOCOL} say otherwise); the broker's ACLs decide what it may read and write.
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
        String kafkaUser = environment.getProperty("DRAWBRIDGE_KAFKA_USERNAME", "");
        if (!kafkaUser.isBlank()) {
            defaults.put("spring.kafka.security.protocol", "${DRAWBRIDGE_KAFKA_SECURITY_PROTOCOL:SASL_SSL}");
            String mechanism = environment.getProperty("DRAWBRIDGE_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
            defaults.put("spring.kafka.properties[sasl.mechanism]", mechanism);
            // Kafka prints this property as [hidden]; the password is never logged.
            defaults.put(
                    "spring.kafka.properties[sasl.jaas.config]",
                    saslLogin(mechanism, kafkaUser, environment.getProperty("DRAWBRIDGE_KAFKA_PASSWORD", "")));
        }
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, defaults));
    }

    /** The JAAS line of a SASL client (PLAIN or SCRAM-*), its values quoted (JAAS escapes with a backslash). */
    static String saslLogin(String mechanism, String username, String password) {
        String module = "PLAIN".equals(mechanism)
                ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        return module + " required username=\"" + jaasQuoted(username) + "\" password=\"" + jaasQuoted(password)
                + "\";";
    }

    private static String jaasQuoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
