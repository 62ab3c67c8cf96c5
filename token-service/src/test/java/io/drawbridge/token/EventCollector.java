package io.drawbridge.token;

import io.drawbridge.events.DownloadDenied;
import io.drawbridge.events.DownloadGranted;
import io.drawbridge.events.Event;
import io.drawbridge.events.GrantSettled;
import io.drawbridge.events.LinkEmailed;
import io.drawbridge.events.TokenExhausted;
import io.drawbridge.events.TokenIssued;
import io.drawbridge.events.TokenRevoked;
import io.drawbridge.events.Topics;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;

/** Plays the gateway's and the audit's side: collects what token-service publishes, as read back from Kafka. */
public class EventCollector {

    private final Map<UUID, List<Event>> replies = new ConcurrentHashMap<>();
    private final Map<UUID, List<Event>> tokenEvents = new ConcurrentHashMap<>();

    @KafkaListener(
            id = "it-replies",
            groupId = "it-replies-#{T(java.util.UUID).randomUUID()}",
            topics = Topics.DOWNLOAD_REPLIES)
    void reply(ConsumerRecord<String, Event> record) {
        Event event = record.value();
        UUID requestId =
                event instanceof DownloadGranted granted ? granted.requestId() : ((DownloadDenied) event).requestId();
        replies.computeIfAbsent(requestId, id -> new CopyOnWriteArrayList<>()).add(event);
    }

    @KafkaListener(id = "it-tokens", groupId = "it-tokens-#{T(java.util.UUID).randomUUID()}", topics = Topics.TOKENS)
    void token(ConsumerRecord<String, Event> record) {
        Event event = record.value();
        UUID tokenId;
        if (event instanceof TokenIssued issued) {
            tokenId = issued.tokenId();
        } else if (event instanceof TokenRevoked revoked) {
            tokenId = revoked.tokenId();
        } else if (event instanceof TokenExhausted exhausted) {
            tokenId = exhausted.tokenId();
        } else if (event instanceof LinkEmailed emailed) {
            tokenId = emailed.tokenId();
        } else if (event instanceof GrantSettled settled) {
            tokenId = settled.tokenId();
        } else {
            return;
        }
        tokenEvents.computeIfAbsent(tokenId, id -> new CopyOnWriteArrayList<>()).add(event);
    }

    public List<Event> repliesTo(UUID requestId) {
        return replies.getOrDefault(requestId, List.of());
    }

    public List<Event> eventsOf(UUID tokenId) {
        return tokenEvents.getOrDefault(tokenId, List.of());
    }
}
