package io.drawbridge.platform.outbox;

import io.drawbridge.platform.inbox.InboxProperties;
import io.drawbridge.platform.inbox.ProcessedEvents;
import io.drawbridge.platform.schedule.RecurringJob;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.r2dbc.spi.ConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * The outbox, its relay and the processed-event inbox, for services with an R2DBC database. Their tables come
 * from the Flyway migrations in {@code classpath:db/platform}, which the service adds to {@code
 * spring.flyway.locations}.
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration",
            "org.springframework.boot.r2dbc.autoconfigure.R2dbcTransactionManagerAutoConfiguration",
            "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration"
        })
@ConditionalOnClass(name = {"org.springframework.r2dbc.core.DatabaseClient", "io.r2dbc.spi.ConnectionFactory"})
@ConditionalOnBean(
        type = {"io.r2dbc.spi.ConnectionFactory", "org.springframework.transaction.ReactiveTransactionManager"})
@EnableConfigurationProperties({OutboxProperties.class, InboxProperties.class})
public class OutboxAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(OutboxAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    Outbox outbox(ConnectionFactory connectionFactory) {
        return new Outbox(DatabaseClient.create(connectionFactory));
    }

    @Bean
    @ConditionalOnMissingBean
    ProcessedEvents processedEvents(ConnectionFactory connectionFactory, ReactiveTransactionManager transactions) {
        return new ProcessedEvents(
                DatabaseClient.create(connectionFactory), TransactionalOperator.create(transactions));
    }

    /** Deletes processed-event rows past their retention, so that the inbox does not grow with every event. */
    @Bean
    RecurringJob inboxRetentionJob(ProcessedEvents processedEvents, InboxProperties properties) {
        return new RecurringJob(
                "Processed-event cleanup",
                properties.cleanupInterval(),
                properties.cleanupInterval(),
                () -> processedEvents.forgetOlderThan(properties.retention()).doOnNext(deleted -> {
                    if (deleted > 0) {
                        log.info("Deleted {} processed-event rows older than {}", deleted, properties.retention());
                    }
                }));
    }

    /** The relay needs Kafka as well; a service without it (none today) can still use the inbox. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(KafkaTemplate.class)
    @ConditionalOnBean(KafkaTemplate.class)
    static class RelayConfiguration {

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnProperty(prefix = "drawbridge.outbox", name = "relay-enabled", matchIfMissing = true)
        @SuppressWarnings("unchecked")
        OutboxRelay outboxRelay(
                ConnectionFactory connectionFactory,
                ReactiveTransactionManager transactions,
                KafkaTemplate<?, ?> kafkaTemplate,
                OutboxProperties properties) {
            return new OutboxRelay(
                    DatabaseClient.create(connectionFactory),
                    TransactionalOperator.create(transactions),
                    (KafkaOperations<String, Object>) kafkaTemplate,
                    properties);
        }

        @Bean
        @ConditionalOnBean(OutboxRelay.class)
        @ConditionalOnClass(MeterBinder.class)
        MeterBinder outboxMetrics(OutboxRelay relay) {
            return registry -> {
                Gauge.builder("drawbridge.outbox.backlog", relay, OutboxRelay::backlog)
                        .description("Outbox rows not yet acknowledged by Kafka")
                        .baseUnit("events")
                        .register(registry);
                Gauge.builder(
                                "drawbridge.outbox.oldest.age",
                                relay,
                                r -> r.oldestUnsentAge().toMillis() / 1000.0)
                        .description("Age of the oldest outbox row not yet acknowledged by Kafka")
                        .baseUnit("seconds")
                        .register(registry);
            };
        }
    }
}
