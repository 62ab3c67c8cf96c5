package io.drawbridge.platform.testapp;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * A small service that uses the platform the way Drawbridge services do, so the platform is tested through its
 * auto-configuration rather than by wiring its classes by hand.
 */
@SpringBootApplication
public class PlatformTestApplication {

    /** Listener of {@link TestListeners#onPoisonTopic}: poison, failing and unknown records. */
    public static final String POISON_TOPIC = "it.poison.files";

    /** Listener of {@link TestListeners#onInboxTopic}: idempotent consumption. */
    public static final String INBOX_TOPIC = "it.inbox.files";

    @Bean
    KafkaAdmin.NewTopics testTopics() {
        return new KafkaAdmin.NewTopics(
                TopicBuilder.name(POISON_TOPIC).partitions(2).build(),
                TopicBuilder.name(POISON_TOPIC + ".dlt").partitions(1).build(),
                TopicBuilder.name(INBOX_TOPIC).partitions(2).build());
    }
}
