package io.drawbridge.token.redeem.messaging;

import io.drawbridge.events.DownloadDenied;
import io.drawbridge.events.DownloadGranted;
import io.drawbridge.events.DownloadRequested;
import io.drawbridge.events.Event;
import io.drawbridge.events.Topics;
import io.drawbridge.platform.kafka.EventPublisher;
import io.drawbridge.token.config.TokenProperties;
import io.drawbridge.token.redeem.domain.Grant;
import io.drawbridge.token.redeem.domain.RedeemOutcome;
import io.drawbridge.token.redeem.domain.RedeemRequest;
import io.drawbridge.token.redeem.domain.Redemptions;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.serializer.SerializationUtils;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Answers the gateway's download requests on {@code download-replies.v1}. Requests for one token share a
 * partition and so are decided in order, a poll's worth at a time in one transaction; the reply goes straight to Kafka (the gateway waits for it, and a
 * lost reply is recovered by the gateway asking again, which the stored answer makes harmless).
 */
@Component
class DownloadRequestListener {

    static final String GROUP = "token-service.redeem";
    private static final Logger log = LoggerFactory.getLogger(DownloadRequestListener.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Redemptions redemptions;
    private final EventPublisher publisher;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Duration deadlineGrace;

    DownloadRequestListener(
            Redemptions redemptions,
            EventPublisher publisher,
            MeterRegistry meters,
            Clock clock,
            TokenProperties properties) {
        this.redemptions = redemptions;
        this.publisher = publisher;
        this.meters = meters;
        this.clock = clock;
        this.deadlineGrace = properties.requestDeadlineGrace();
    }

    /**
     * A poll's worth of one partition's requests at a time: decided together ({@link Redemptions#redeemAll}), then
     * every reply sent and awaited before the offsets are committed (a crash in between redelivers the requests,
     * and their stored answers are sent again). A record that could not be read is reported after the others are
     * answered, so the error handler sends it to the dead-letter topic; the records after it come again and get
     * their stored answers.
     */
    @KafkaListener(
            id = GROUP,
            groupId = GROUP,
            topics = Topics.DOWNLOAD_REQUESTS,
            batch = "true",
            concurrency = "${drawbridge.token.request-concurrency:6}")
    void on(List<ConsumerRecord<String, Event>> records) {
        List<RedeemRequest> requests = new ArrayList<>();
        ConsumerRecord<String, Event> malformed = null;
        Instant now = clock.instant();
        int abandoned = 0;
        for (ConsumerRecord<String, Event> record : records) {
            if (record.value() instanceof DownloadRequested requested && abandoned(requested, now)) {
                abandoned++;
            } else if (record.value() instanceof DownloadRequested requested) {
                requests.add(new RedeemRequest(
                        requested.requestId(),
                        requested.tokenHash(),
                        requested.platform(),
                        requested.email(),
                        requested.clientIp(),
                        requested.userAgent(),
                        requested.gatewayId(),
                        requested.requestedAt()));
            } else if (malformed == null
                    && record.headers().lastHeader(SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER) != null) {
                malformed = record;
            }
        }
        if (abandoned > 0) {
            meters.counter("drawbridge.redemptions", "outcome", "abandoned", "reason", "none")
                    .increment(abandoned);
            log.info("Dropped {} download requests the gateway had stopped waiting for", abandoned);
        }
        if (!requests.isEmpty()) {
            answer(requests);
        }
        if (malformed != null) {
            throw new BatchListenerFailedException(
                    "unreadable download request", new SerializationException("unreadable record"), malformed);
        }
    }

    /**
     * Whether the gateway gave up on {@code requested} (it answered the customer 503 at {@code answerBy}): deciding it
     * now would reserve a use that nobody is told about, and under overload it is work whose answer nobody reads.
     */
    private boolean abandoned(DownloadRequested requested, Instant now) {
        return requested.answerBy() != null && now.isAfter(requested.answerBy().plus(deadlineGrace));
    }

    private void answer(List<RedeemRequest> requests) {
        long started = System.nanoTime();
        List<RedeemOutcome> outcomes = redemptions
                .redeemAll(requests)
                .flatMap(answers -> Flux.fromIterable(answers)
                        .flatMap(answer -> publisher.publish(reply(answer)))
                        .then(Mono.just(answers)))
                .block(TIMEOUT);
        if (outcomes == null) {
            log.warn("No answers for {} download requests", requests.size());
            return;
        }
        long elapsed = System.nanoTime() - started;
        meters.summary("drawbridge.redemption.poll.size").record(requests.size());
        for (RedeemOutcome outcome : outcomes) {
            String result = outcome.replayed()
                    ? "replayed"
                    : outcome instanceof RedeemOutcome.Granted g ? (g.reused() ? "reused" : "granted") : "denied";
            String reason =
                    outcome instanceof RedeemOutcome.Denied d ? d.reason().wire() : "none";
            // Each request waited for its whole poll to be decided and answered.
            meters.timer("drawbridge.redemption.processing", "outcome", result).record(elapsed, TimeUnit.NANOSECONDS);
            meters.counter("drawbridge.redemptions", "outcome", result, "reason", reason)
                    .increment();
            log.debug("Download request {} answered: {} {}", outcome.requestId(), result, reason);
        }
    }

    static Event reply(RedeemOutcome outcome) {
        if (outcome instanceof RedeemOutcome.Granted granted) {
            Grant grant = granted.grant();
            return new DownloadGranted(
                    granted.requestId(),
                    grant.tokenId(),
                    grant.id(),
                    GrantedItems.of(grant.items()),
                    grant.expiresAt(),
                    granted.downloadsRemaining(),
                    grant.archiveName(),
                    granted.reused());
        }
        RedeemOutcome.Denied denied = (RedeemOutcome.Denied) outcome;
        return new DownloadDenied(
                denied.requestId(), denied.tokenId(), denied.reason().wire(), denied.detail());
    }
}
