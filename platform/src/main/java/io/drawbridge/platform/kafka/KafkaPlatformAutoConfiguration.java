package io.drawbridge.platform.kafka;

import io.drawbridge.events.EventHeaders;
import io.drawbridge.events.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ConsumerAwareRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.adapter.RecordFilterStrategy;
import org.springframework.kafka.support.serializer.SerializationUtils;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Kafka as every Drawbridge service uses it: an {@link EventPublisher}, listeners that skip unknown event types,
 * bounded retries then {@code <topic>.dlt} for poison records, and the topics declared at startup.
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@ConditionalOnClass(KafkaTemplate.class)
@ConditionalOnBean(KafkaTemplate.class)
@EnableConfigurationProperties(PlatformKafkaProperties.class)
public class KafkaPlatformAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KafkaPlatformAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    EventPublisher eventPublisher(KafkaTemplate<?, ?> kafkaTemplate) {
        return new EventPublisher(operations(kafkaTemplate));
    }

    /**
     * A record whose failure is transient (the database or the broker unavailable: {@link FailureKinds}) is retried
     * with exponential back-off until it passes, holding its partition meanwhile, so that a PostgreSQL restart delays
     * work instead of dead-lettering it. Any other failure is retried a few times, then the record is published to
     * {@code <topic>.dlt} on any partition (a dead-letter topic need not have as many partitions as its source) and
     * counted in {@code drawbridge.events.dead.lettered}. Records that can never succeed (deserialization, validation,
     * conversion) go there at once. {@code bin/replay-dlt} sends dead letters back to their topic.
     */
    @Bean
    @ConditionalOnMissingBean(CommonErrorHandler.class)
    DefaultErrorHandler drawbridgeKafkaErrorHandler(
            KafkaTemplate<?, ?> kafkaTemplate,
            PlatformKafkaProperties properties,
            ObjectProvider<MeterRegistry> meterRegistry) {
        DeadLetterPublishingRecoverer deadLetters = new DeadLetterPublishingRecoverer(
                operations(kafkaTemplate), (record, exception) -> new TopicPartition(Topics.dlt(record.topic()), -1));
        ConsumerAwareRecordRecoverer countingDeadLetters = (record, consumer, exception) -> {
            deadLetters.accept(record, consumer, exception);
            log.warn(
                    "Sent {}-{}@{} to {}: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    Topics.dlt(record.topic()),
                    NestedExceptionUtils.getMostSpecificCause(exception).toString());
            meterRegistry.ifAvailable(registry -> Counter.builder("drawbridge.events.dead.lettered")
                    .description("Records sent to their dead-letter topic")
                    .tag("topic", record.topic())
                    .register(registry)
                    .increment());
        };
        DefaultErrorHandler handler = new DefaultErrorHandler(
                countingDeadLetters, new FixedBackOff(properties.retryBackoff().toMillis(), properties.retries()));
        handler.setBackOffFunction((record, exception) -> {
            if (!FailureKinds.isTransient(exception)) {
                return null; // the bounded back-off above
            }
            ExponentialBackOff untilItPasses =
                    new ExponentialBackOff(properties.retryBackoff().toMillis(), 2.0);
            untilItPasses.setMaxInterval(properties.transientRetryMaxInterval().toMillis());
            return untilItPasses;
        });
        handler.addNotRetryableExceptions(
                jakarta.validation.ValidationException.class,
                org.springframework.messaging.converter.MessageConversionException.class,
                org.springframework.messaging.handler.invocation.MethodArgumentResolutionException.class);
        return handler;
    }

    /**
     * Skips records the {@link EventDeserializer} left empty: event types this build does not know yet (a newer
     * producer), and tombstones. Malformed records are not empty: they carry a deserialization failure instead (a
     * record listener's container sends them to the error handler before this filter; a batch listener receives them
     * and reports them with a {@code BatchListenerFailedException}).
     */
    @Bean
    @ConditionalOnMissingBean(RecordFilterStrategy.class)
    RecordFilterStrategy<Object, Object> drawbridgeUnknownEventFilter() {
        return record -> {
            boolean skip = record.value() == null
                    && record.headers().lastHeader(SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER) == null;
            if (skip && log.isDebugEnabled()) {
                log.debug(
                        "Skipping {} at {}-{}@{}: unknown event type",
                        EventMetadata.text(record.headers(), EventHeaders.EVENT_TYPE),
                        record.topic(),
                        record.partition(),
                        record.offset());
            }
            return skip;
        };
    }

    @Bean
    @ConditionalOnProperty(prefix = "drawbridge.kafka", name = "create-topics", matchIfMissing = true)
    KafkaAdmin.NewTopics drawbridgeTopics(PlatformKafkaProperties properties) {
        List<NewTopic> topics = new ArrayList<>();
        for (String topic : Topics.all()) {
            topics.add(topic(topic, properties));
            topics.add(topic(Topics.dlt(topic), properties));
        }
        return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
    }

    private static NewTopic topic(String name, PlatformKafkaProperties properties) {
        TopicBuilder builder = TopicBuilder.name(name).partitions(properties.partitions());
        if (properties.replicas() > 0) {
            builder.replicas(properties.replicas());
        }
        return builder.build();
    }

    @SuppressWarnings("unchecked")
    static KafkaOperations<String, Object> operations(KafkaTemplate<?, ?> kafkaTemplate) {
        return (KafkaOperations<String, Object>) kafkaTemplate;
    }
}
