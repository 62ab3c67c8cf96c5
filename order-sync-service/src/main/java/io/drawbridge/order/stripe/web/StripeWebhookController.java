package io.drawbridge.order.stripe.web;

import io.drawbridge.order.observability.OrderMetrics;
import io.drawbridge.order.stripe.ReceiptIntake;
import io.drawbridge.order.stripe.domain.StripeEvent;
import io.drawbridge.order.stripe.domain.StripeEventInterpreter;
import io.drawbridge.order.stripe.domain.StripeEventTypes;
import io.drawbridge.order.stripe.domain.StripeSignatureVerifier;
import io.drawbridge.order.stripe.domain.WebhookRejectedException;
import io.drawbridge.platform.web.ProblemException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stripe's webhook endpoint. Verifies the signature over the raw bytes, checks the envelope, stores the receipt
 * once and answers 200 at once; the order work happens after, from the stored receipt. Anything unverifiable is
 * answered 400 (problem+json) and stores nothing.
 */
@RestController
class StripeWebhookController {

    private static final Logger log = LoggerFactory.getLogger(StripeWebhookController.class);
    static final String SIGNATURE_HEADER = "Stripe-Signature";

    private final StripeSignatureVerifier verifier;
    private final StripeEventInterpreter interpreter;
    private final ReceiptIntake intake;
    private final JsonMapper json;
    private final OrderMetrics metrics;
    private final Clock clock;

    StripeWebhookController(
            StripeSignatureVerifier verifier,
            StripeEventInterpreter interpreter,
            ReceiptIntake intake,
            JsonMapper json,
            OrderMetrics metrics,
            Clock clock) {
        this.verifier = verifier;
        this.interpreter = interpreter;
        this.intake = intake;
        this.json = json;
        this.metrics = metrics;
        this.clock = clock;
    }

    @PostMapping("/webhooks/stripe")
    Mono<Map<String, Object>> receive(
            @RequestHeader(name = SIGNATURE_HEADER, required = false) String signature,
            @RequestBody(required = false) Mono<byte[]> body) {
        return body.defaultIfEmpty(new byte[0]).flatMap(payload -> {
            StripeEvent event;
            try {
                verifier.verify(signature, payload, clock.instant());
                event = StripeEvent.parse(json, payload);
                // Validates the object of a handled type now, so a malformed one is refused rather than stored.
                interpreter.interpret(event, ReceiptIntake.WEBHOOK);
            } catch (WebhookRejectedException e) {
                String reason = e.rejection().code();
                metrics.webhookRejected("stripe", reason);
                log.info("Refused a Stripe webhook delivery: {}", reason);
                return Mono.error(new ProblemException(
                        HttpStatus.BAD_REQUEST, reason, e.rejection().detail()));
            }
            return intake.accept(event, ReceiptIntake.WEBHOOK, new String(payload, StandardCharsets.UTF_8))
                    .map(stored -> {
                        metrics.webhookReceived("stripe", StripeEventTypes.metricTag(event.type()), !stored);
                        if (!stored) {
                            log.debug("Stripe event {} was already received", event.id());
                        }
                        return Map.<String, Object>of("received", true, "duplicate", !stored);
                    });
        });
    }
}
