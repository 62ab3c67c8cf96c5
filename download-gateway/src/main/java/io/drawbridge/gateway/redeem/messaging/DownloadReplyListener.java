package io.drawbridge.gateway.redeem.messaging;

import io.drawbridge.events.DownloadDenied;
import io.drawbridge.events.DownloadGranted;
import io.drawbridge.events.Event;
import io.drawbridge.events.Topics;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.stereotype.Component;

/**
 * Consumes every partition of the reply topic in this instance's own consumer group (so each instance sees all
 * replies) from the end, and completes the matching pending redemption. Reports ready only once it has
 * partitions: before that a reply could be missed.
 */
@Component("downloadReplies")
class DownloadReplyListener implements ConsumerSeekAware, HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(DownloadReplyListener.class);

    private final PendingRedemptions pending;
    private final AtomicBoolean assigned = new AtomicBoolean();

    DownloadReplyListener(PendingRedemptions pending) {
        this.pending = pending;
    }

    @KafkaListener(
            id = "download-gateway-replies",
            topics = Topics.DOWNLOAD_REPLIES,
            groupId = "#{@gatewayInstance.replyGroupId()}",
            // Replies matter only to the requests this instance is waiting for now: nothing to resume after a restart,
            // so no offsets to commit after every poll (the consumer commits in the background).
            properties = {"auto.offset.reset=latest", "enable.auto.commit=true"})
    void on(Event reply) {
        if (reply instanceof DownloadGranted granted) {
            pending.complete(granted.requestId(), granted);
        } else if (reply instanceof DownloadDenied denied) {
            pending.complete(denied.requestId(), denied);
        } else {
            log.debug("Ignoring {} on {}", reply.getClass().getSimpleName(), Topics.DOWNLOAD_REPLIES);
        }
    }

    @Override
    public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
        log.info("Consuming {} partitions of {} for replies", assignments.size(), Topics.DOWNLOAD_REPLIES);
        assigned.set(!assignments.isEmpty());
    }

    boolean isAssigned() {
        return assigned.get();
    }

    @Override
    public Health health() {
        return assigned.get()
                ? Health.up().build()
                : Health.outOfService()
                        .withDetail("reason", "no reply partitions yet")
                        .build();
    }
}
