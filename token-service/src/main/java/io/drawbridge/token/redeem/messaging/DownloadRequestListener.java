package io.drawbridge.token.redeem.messaging;

import io.drawbridge.events.DownloadDenied;
import io.drawbridge.events.DownloadGranted;
import io.drawbridge.events.DownloadRequested;
import io.drawbridge.events.Event;
import io.drawbridge.events.Topics;
import io.drawbridge.platform.kafka.EventPublisher;
import io.drawbridge.token.redeem.domain.Grant;
import io.drawbridge.token.redeem.domain.RedeemOutcome;
import io.drawbridge.token.redeem.domain.RedeemRequest;
import io.drawbridge.token.redeem.domain.Redemptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Answers the gateway's download requests on {@code download-replies.v1}. Requests for one token share a
 * partition and so are decided one at a time; the reply goes straight to Kafka (the gateway waits for it, and a
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

    DownloadRequestListener(Redemptions redemptions, EventPublisher publisher, MeterRegistry meters) {
        this.redemptions = redemptions;
        this.publisher = publisher;
        this.meters = meters;
    }

    @KafkaListener(
            id = GROUP,
            groupId = GROUP,
            topics = Topics.DOWNLOAD_REQUESTS,
            concurrency = "${drawbridge.token.request-concurrency:3}")
    void on(ConsumerRecord<String, Event> record) {
        if (!(record.value() instanceof DownloadRequested requested)) {
            return;
        }
        Timer.Sample sample = Timer.start(meters);
        RedeemRequest request = new RedeemRequest(
                requested.requestId(),
                requested.tokenHash(),
                requested.platform(),
                requested.email(),
                requested.clientIp(),
                requested.userAgent(),
                requested.gatewayId(),
                requested.requestedAt());
        RedeemOutcome outcome = redemptions
                .redeem(request)
                .flatMap(answer -> publisher.publish(reply(answer)).thenReturn(answer))
                .block(TIMEOUT);
        if (outcome == null) {
            log.warn("No answer for download request {}", requested.requestId());
            return;
        }
        String result = outcome.replayed()
                ? "replayed"
                : outcome instanceof RedeemOutcome.Granted g ? (g.reused() ? "reused" : "granted") : "denied";
        String reason = outcome instanceof RedeemOutcome.Denied d ? d.reason().wire() : "none";
        sample.stop(meters.timer("drawbridge.redemption.processing", "outcome", result));
        meters.counter("drawbridge.redemptions", "outcome", result, "reason", reason)
                .increment();
        log.debug("Download request {} answered: {} {}", requested.requestId(), result, reason);
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
