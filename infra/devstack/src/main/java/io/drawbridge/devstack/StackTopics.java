package io.drawbridge.devstack;

import io.drawbridge.events.Topics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Creates every event topic before the services start, with the partitions production uses, instead of leaving it to
 * auto-creation on first use. Redemption requests get more partitions (they are the hot path and ordered per token);
 * each dead-letter topic gets as many partitions as its topic, because a dead-letter publisher keeps a record's
 * partition number by default.
 */
final class StackTopics {

    static final int REQUEST_PARTITIONS = 6;
    static final int DEFAULT_PARTITIONS = 3;

    private StackTopics() {}

    /** Topic name → partitions, dead-letter topics included. */
    static Map<String, Integer> wanted() {
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (String topic : Topics.ALL) {
            int partitions = topic.equals(Topics.DOWNLOAD_REQUESTS) ? REQUEST_PARTITIONS : DEFAULT_PARTITIONS;
            topics.put(topic, partitions);
            topics.put(Topics.dlt(topic), partitions);
        }
        return topics;
    }

    /** Creates the topics that do not exist yet (data persists across runs); returns the names it created. */
    static List<String> create(String bootstrapServers) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            wanted().forEach((name, partitions) -> {
                if (!existing.contains(name)) {
                    missing.add(new NewTopic(name, partitions, (short) 1));
                }
            });
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
            return missing.stream().map(NewTopic::name).toList();
        }
    }
}
