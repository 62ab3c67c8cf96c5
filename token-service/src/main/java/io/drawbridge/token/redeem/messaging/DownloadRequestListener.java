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
import io.micrometer.core.instrument.Timer;
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
            concurrency = "${drawbridge.token.request-concurrency:1}")
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
        List<RedeemOutcome> outcomes = redemptions.redeemAll(requests).block(TIMEOUT);
        if (outcomes == null) {
            log.warn("No answers for {} download requests", requests.size());
            return;
        }
        long decided = System.nanoTime();
        sendReplies(outcomes, started);
        meters.summary("drawbridge.redemption.poll.size").record(requests.size());
        pollPhase().record(decided - started, TimeUnit.NANOSECONDS);
        for (RedeemOutcome outcome : outcomes) {
            String result = result(outcome);
            String reason =
                    outcome instanceof RedeemOutcome.Denied d ? d.reason().wire() : "none";
            meters.counter("drawbridge.redemptions", "outcome", result, "reason", reason)
                    .increment();
            log.debug("Download request {} answered: {} {}", outcome.requestId(), result, reason);
        }
    }

    /**
     * Sends the replies without waiting for the broker's acknowledgement: the answers are stored, so the next poll
     * need not wait for them. A reply lost on the way (this process dies before the producer sent it) leaves the
     * gateway to time out and the customer to ask again, which the stored answer, or the client's live grant,
     * answers the same. How long a reply took to be acknowledged, from the poll's start, is {@code
     * drawbridge.redemption.processing}.
     */
    private void sendReplies(List<RedeemOutcome> outcomes, long pollStarted) {
        for (RedeemOutcome outcome : outcomes) {
            String result = result(outcome);
            publisher
                    .publish(reply(outcome))
                    .subscribe(
                            done -> {},
                            error -> {
                                meters.counter("drawbridge.redemption.replies.failed")
                                        .increment();
                                log.warn(
                                        "Reply to download request {} not sent: {}",
                                        outcome.requestId(),
                                        error.getClass().getSimpleName());
                            },
                            () -> meters.timer("drawbridge.redemption.processing", "outcome", result)
                                    .record(System.nanoTime() - pollStarted, TimeUnit.NANOSECONDS));
        }
    }

    private static String result(RedeemOutcome outcome) {
        return outcome.replayed()
                ? "replayed"
                : outcome instanceof RedeemOutcome.Granted g ? (g.reused() ? "reused" : "granted") : "denied";
    }

    /** How long a poll's requests took to decide (reads, then one transaction). */
    private Timer pollPhase() {
        return Timer.builder("drawbridge.redemption.poll")
                .description("A poll of download requests decided: its reads and its transaction")
                .register(meters);
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
