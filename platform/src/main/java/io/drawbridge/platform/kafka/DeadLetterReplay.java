package io.drawbridge.platform.kafka;

import io.drawbridge.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends the records of a dead-letter topic back to the topic they came from, once the cause is fixed: same key,
 * value and event headers (so idempotent consumers apply each at most once), without the dead-letter headers. It
 * reads the dead-letter topic as consumer group {@code drawbridge-dlt-replay} up to the end it saw when it started and
 * commits what it sent, so running it again only replays what arrived since. Run by {@code bin/replay-dlt}.
 */
public final class DeadLetterReplay {

    static final String GROUP = "drawbridge-dlt-replay";
    private static final String DLT_HEADER_PREFIX = "kafka_dlt-";

    private DeadLetterReplay() {}

    /** What a replay did. */
    public record Result(int replayed, Map<String, Integer> byTopic) {}

    public static void main(String[] args) {
        if (args.length < 2 || args[0].startsWith("-")) {
            System.err.println("usage: DeadLetterReplay <bootstrap-servers> <topic or topic.dlt> [--dry-run]");
            System.exit(2);
        }
        boolean dryRun = args.length > 2 && "--dry-run".equals(args[2]);
        String deadLetters = args[1].endsWith(".dlt") ? args[1] : Topics.dlt(args[1]);
        Result result = replay(args[0], deadLetters, dryRun, clientConfig(System.getenv("KAFKA_CLIENT_CONFIG")));
        System.out.println((dryRun ? "would replay " : "replayed ") + result.replayed() + " record(s) from "
                + deadLetters + ": " + result.byTopic());
    }

    /**
     * The client settings in the properties file {@code path} (as the Kafka CLI's {@code --command-config}: a broker
     * with SASL and ACLs needs a login allowed to read the dead-letter topic and write the topic); none without one.
     */
    static Map<String, Object> clientConfig(String path) {
        if (path == null || path.isBlank()) {
            return Map.of();
        }
        Properties properties = new Properties();
        try (java.io.Reader reader = java.nio.file.Files.newBufferedReader(java.nio.file.Path.of(path))) {
            properties.load(reader);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot read the Kafka client settings in " + path, e);
        }
        Map<String, Object> config = new java.util.HashMap<>();
        properties.stringPropertyNames().forEach(name -> config.put(name, properties.getProperty(name)));
        return config;
    }

    /**
     * Replays {@code deadLetterTopic} up to its current end.
     *
     * @param clientProperties more client settings (security, for example), given to the consumer and the producer
     */
    public static Result replay(
            String bootstrapServers, String deadLetterTopic, boolean dryRun, Map<String, Object> clientProperties) {
        Properties consumerProperties = new Properties();
        consumerProperties.putAll(clientProperties);
        consumerProperties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        consumerProperties.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        consumerProperties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProperties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerProperties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumerProperties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        Properties producerProperties = new Properties();
        producerProperties.putAll(clientProperties);
        producerProperties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producerProperties.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProperties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producerProperties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producerProperties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);

        Map<String, Integer> byTopic = new HashMap<>();
        int replayed = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties);
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(deadLetterTopic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(info.topic(), info.partition()));
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p, Duration.ofSeconds(30)) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() >= end.get(partition)) {
                        continue;
                    }
                    String target = originalTopic(record, deadLetterTopic);
                    if (!dryRun) {
                        ProducerRecord<byte[], byte[]> copy =
                                new ProducerRecord<>(target, null, record.key(), record.value());
                        for (Header header : record.headers()) {
                            if (!header.key().startsWith(DLT_HEADER_PREFIX)) {
                                copy.headers().add(header);
                            }
                        }
                        producer.send(copy);
                    }
                    committed.put(partition, new OffsetAndMetadata(record.offset() + 1));
                    byTopic.merge(target, 1, Integer::sum);
                    replayed++;
                }
            }
            if (!dryRun) {
                producer.flush();
                consumer.commitSync(committed);
            }
        }
        return new Result(replayed, byTopic);
    }

    private static String originalTopic(ConsumerRecord<byte[], byte[]> record, String deadLetterTopic) {
        Header original = record.headers().lastHeader(DLT_HEADER_PREFIX + "original-topic");
        if (original != null) {
            return new String(original.value(), StandardCharsets.UTF_8);
        }
        return deadLetterTopic.substring(0, deadLetterTopic.length() - ".dlt".length());
    }
}
