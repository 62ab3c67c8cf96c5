package io.drawbridge.console.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Sends due deliveries: signs each attempt afresh (a new {@code webhook-timestamp}, the same {@code webhook-id}),
 * POSTs the stored body with Reactor Netty's non-blocking client (redirects not followed, the answer's body
 * discarded), and records the outcome. Runs from a {@link io.drawbridge.platform.schedule.RecurringJob}; nothing
 * waits on a thread, and the only blocking step (resolving the host to check it again) runs on a worker thread.
 * Logs and metrics name the endpoint's id, never its URL (which may carry a token) or its secret.
 */
class WebhookSender {

    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    private static final int MAX_ERROR = 300;

    private final WebhookDeliveries deliveries;
    private final WebhookEndpoints endpoints;
    private final WebhookProperties properties;
    private final RetrySchedule schedule;
    private final WebClient http;
    private final MeterRegistry meters;
    private final Clock clock = Clock.systemUTC();

    WebhookSender(
            WebhookDeliveries deliveries,
            WebhookEndpoints endpoints,
            WebhookProperties properties,
            WebClient http,
            MeterRegistry meters) {
        this.deliveries = deliveries;
        this.endpoints = endpoints;
        this.properties = properties;
        this.schedule = new RetrySchedule(properties.retrySchedule());
        this.http = http;
        this.meters = meters;
    }

    /** One round: claim what is due and attempt it, a few at a time; completes when the round is recorded. */
    Mono<Long> sendDue() {
        Duration lease = properties.timeout().multipliedBy(2).plusSeconds(30);
        return deliveries
                .claimDue(properties.batchSize(), lease)
                .flatMap(this::attempt, properties.concurrency())
                .count();
    }

    private Mono<Void> attempt(WebhookDeliveries.Due due) {
        long started = System.nanoTime();
        byte[] body = due.payload().getBytes(StandardCharsets.UTF_8);
        return endpoints
                .target(due.endpointId(), due.url(), due.sealedSecret())
                .flatMap(target -> post(target, due, body))
                .timeout(properties.timeout())
                .map(status -> new WebhookDeliveries.Attempt(status, null, since(started)))
                .onErrorResume(
                        e -> Mono.just(new WebhookDeliveries.Attempt(null, describe(e, due.url()), since(started))))
                .flatMap(attempt -> {
                    int number = due.attempts() + 1;
                    Optional<Duration> retryIn = attempt.succeeded() ? Optional.empty() : schedule.after(number);
                    String outcome = attempt.succeeded() ? "delivered" : retryIn.isPresent() ? "retrying" : "failed";
                    Timer.builder("drawbridge.webhooks.attempts")
                            .description("Webhook delivery attempts to sellers' endpoints, by outcome")
                            .tag("outcome", outcome)
                            .register(meters)
                            .record(attempt.took());
                    if (!attempt.succeeded()) {
                        log.info(
                                "Webhook delivery {} to endpoint {} failed at attempt {} ({}){}",
                                due.id(),
                                due.endpointId(),
                                number,
                                attempt.statusCode() != null ? "HTTP " + attempt.statusCode() : attempt.error(),
                                retryIn.map(wait -> ", next in " + wait).orElse(", no retry left"));
                    }
                    return deliveries.record(due, attempt, retryIn, properties.disableAfter());
                });
    }

    private Mono<Integer> post(WebhookEndpoints.Target target, WebhookDeliveries.Due due, byte[] body) {
        String id = due.id().toString();
        long timestamp = clock.instant().getEpochSecond();
        URI url = target.url();
        return http.post()
                .uri(url)
                .contentType(MediaType.APPLICATION_JSON)
                .header(WebhookSignature.ID, id)
                .header(WebhookSignature.TIMESTAMP, Long.toString(timestamp))
                .header(WebhookSignature.SIGNATURE, WebhookSignature.sign(target.secret(), id, timestamp, body))
                .bodyValue(body)
                .exchangeToMono(response ->
                        response.releaseBody().thenReturn(response.statusCode().value()));
    }

    private static Duration since(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** What went wrong, for the delivery log: never the URL (it may carry a token), never the secret. */
    static String describe(Throwable e, String url) {
        if (e instanceof TimeoutException) {
            return "no answer in time";
        }
        if (e instanceof io.drawbridge.platform.web.ProblemException problem) {
            return problem.detail();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message =
                root.getMessage() == null ? "" : ": " + root.getMessage().replace(url, "<url>");
        String text = root.getClass().getSimpleName() + message;
        return text.length() > MAX_ERROR ? text.substring(0, MAX_ERROR) + "…" : text;
    }
}
