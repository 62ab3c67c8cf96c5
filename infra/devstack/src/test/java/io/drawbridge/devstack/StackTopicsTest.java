package io.drawbridge.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.drawbridge.events.Topics;
import org.junit.jupiter.api.Test;

class StackTopicsTest {

    @Test
    void everyTopicAndItsDeadLetterTopicHaveTheSamePartitionCount() {
        assertThat(StackTopics.wanted()).hasSize(2 * Topics.ALL.size());
        for (String topic : Topics.ALL) {
            assertThat(StackTopics.wanted().get(Topics.dlt(topic)))
                    .as(topic)
                    .isEqualTo(StackTopics.wanted().get(topic));
        }
    }

    @Test
    void redemptionRequestsGetTheMostPartitions() {
        assertThat(StackTopics.wanted().get(Topics.DOWNLOAD_REQUESTS)).isEqualTo(6);
        assertThat(StackTopics.wanted().get(Topics.DOWNLOADS)).isEqualTo(3);
        assertThat(StackTopics.wanted().get("download-requests.v1.dlt")).isEqualTo(6);
    }
}
