package io.drawbridge.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class PlatformDefaultsEnvironmentPostProcessorTest {

    @Test
    void kafkaClientsLogInWithScramWhenAUserIsGiven() {
        StandardEnvironment environment = environment(
                Map.of("DRAWBRIDGE_KAFKA_USERNAME", "token-service", "DRAWBRIDGE_KAFKA_PASSWORD", "p\"w\\d"));

        assertThat(environment.getProperty("spring.kafka.security.protocol")).isEqualTo("SASL_SSL");
        assertThat(environment.getProperty("spring.kafka.properties[sasl.mechanism]"))
                .isEqualTo("SCRAM-SHA-512");
        assertThat(environment.getProperty("spring.kafka.properties[sasl.jaas.config]"))
                .isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"token-service\" password=\"p\\\"w\\\\d\";");
    }

    @Test
    void theDeploymentChoosesTheProtocolAndMechanism() {
        StandardEnvironment environment = environment(Map.of(
                "DRAWBRIDGE_KAFKA_USERNAME", "console",
                "DRAWBRIDGE_KAFKA_PASSWORD", "x",
                "DRAWBRIDGE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "DRAWBRIDGE_KAFKA_SASL_MECHANISM", "SCRAM-SHA-256"));

        assertThat(environment.getProperty("spring.kafka.security.protocol")).isEqualTo("SASL_PLAINTEXT");
        assertThat(environment.getProperty("spring.kafka.properties[sasl.mechanism]"))
                .isEqualTo("SCRAM-SHA-256");
        assertThat(environment.getProperty("spring.kafka.properties[sasl.jaas.config]"))
                .startsWith("org.apache.kafka.common.security.scram.ScramLoginModule required");
    }

    @Test
    void aPlainLoginUsesThePlainModule() {
        StandardEnvironment environment = environment(Map.of(
                "DRAWBRIDGE_KAFKA_USERNAME", "admin",
                "DRAWBRIDGE_KAFKA_PASSWORD", "x",
                "DRAWBRIDGE_KAFKA_SASL_MECHANISM", "PLAIN"));

        assertThat(environment.getProperty("spring.kafka.properties[sasl.jaas.config]"))
                .isEqualTo("org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"admin\" password=\"x\";");
    }

    @Test
    void withoutAUserKafkaClientsDoNotAuthenticate() {
        StandardEnvironment environment = environment(Map.of());

        assertThat(environment.getProperty("spring.kafka.security.protocol")).isNull();
        assertThat(environment.getProperty("spring.kafka.properties[sasl.jaas.config]"))
                .isNull();
    }

    private static StandardEnvironment environment(Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test-environment", variables));
        new PlatformDefaultsEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }
}
