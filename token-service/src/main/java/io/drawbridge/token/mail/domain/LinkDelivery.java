package io.drawbridge.token.mail.domain;

import io.drawbridge.token.config.LinkMailProperties;
import io.drawbridge.token.issue.domain.DownloadToken;
import io.drawbridge.token.issue.domain.TokenEvents;
import io.drawbridge.token.issue.domain.TokenHistory;
import io.drawbridge.token.issue.domain.TokenLedger;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Emails links once the transaction that issued them has committed. The message is composed once and held in
 * memory while it is tried {@code drawbridge.token.mail.attempts} times with backoff: the plaintext links exist
 * nowhere else, so there is no outbox row or queue to retry from. The outcome lands on the tokens ({@code emailed}
 * with {@code emailed_at} and a LinkEmailed event, or {@code failed} for an admin to re-send) and in {@code
 * drawbridge.emails{outcome}}. If
 * the process dies first, {@link #abandonStale()} marks the links failed later.
 */
@Service
public class LinkDelivery implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(LinkDelivery.class);
    static final String INTERRUPTED = "interrupted: the email was not sent before the sending process stopped";

    private final LinkMailComposer composer;
    private final LinkMailSender sender;
    private final TokenLedger tokens;
    private final TokenHistory history;
    private final TokenEvents events;
    private final TransactionalOperator tx;
    private final LinkMailProperties properties;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Disposable.Composite inFlight = Disposables.composite();

    LinkDelivery(
            LinkMailComposer composer,
            LinkMailSender sender,
            TokenLedger tokens,
            TokenHistory history,
            TokenEvents events,
            TransactionalOperator tx,
            LinkMailProperties properties,
            Clock clock,
            MeterRegistry meters) {
        this.composer = composer;
        this.sender = sender;
        this.tokens = tokens;
        this.history = history;
        this.events = events;
        this.tx = tx;
        this.properties = properties;
        this.clock = clock;
        this.meters = meters;
    }

    /**
     * Sends {@code mail} in the background; call it after the issuing transaction committed. Never fails: the
     * outcome is recorded on the tokens.
     */
    public void dispatch(LinkMail mail) {
        if (mail == null || mail.links().isEmpty()) {
            return;
        }
        AtomicReference<Disposable> self = new AtomicReference<>();
        Disposable sending = deliver(mail)
                .doFinally(signal -> {
                    Disposable done = self.get();
                    if (done != null) {
                        inFlight.remove(done);
                    }
                })
                .subscribe();
        self.set(sending);
        if (!sending.isDisposed()) {
            inFlight.add(sending);
        }
    }

    /** Sends {@code mail} with retries and records the outcome; true when SMTP accepted it. */
    public Mono<Boolean> deliver(LinkMail mail) {
        return Mono.defer(() -> {
            MailContent content = composer.compose(mail);
            List<UUID> ids = mail.tokenIds();
            return sender.send(content)
                    .retryWhen(Retry.backoff(properties.attempts() - 1L, properties.initialBackoff())
                            .maxBackoff(properties.maxBackoff())
                            .filter(failure -> failure instanceof MailRefused refused && refused.isTransient())
                            .doBeforeRetryAsync(signal -> attemptFailed(ids, signal.failure()))
                            .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
                    // emailed() and failed() never fail, so only a send failure reaches onErrorResume.
                    .then(Mono.defer(() -> emailed(ids)))
                    .onErrorResume(failure -> failed(ids, failure));
        });
    }

    /**
     * Marks links whose email is still pending long after they were issued ({@code abandon-after}) as failed: the
     * process that held their message stopped. The number of links marked.
     */
    public Mono<Integer> abandonStale() {
        Instant now = now();
        return tx.transactional(tokens.abandonDeliveries(now.minus(properties.abandonAfter()), INTERRUPTED, now)
                        .concatMap(token -> history.record(token.id(), "email_failed", null, "interrupted", now)
                                .thenReturn(token))
                        .collectList())
                .doOnNext(abandoned -> {
                    if (!abandoned.isEmpty()) {
                        long emails = abandoned.stream()
                                .map(token -> token.orderId() == null
                                        ? token.id().toString()
                                        : token.orderId() + "/" + token.issuedAt())
                                .distinct()
                                .count();
                        meters.counter("drawbridge.emails", "outcome", "failed").increment(emails);
                        log.warn(
                                "Marked links {} undelivered: their email was never sent",
                                abandoned.stream().map(DownloadToken::id).toList());
                    }
                })
                .map(List::size);
    }

    /** How many emails this instance is sending or waiting to retry. */
    public int inFlight() {
        return inFlight.size();
    }

    @Override
    public void destroy() {
        inFlight.dispose();
    }

    private Mono<Void> attemptFailed(List<UUID> ids, Throwable failure) {
        String summary = summary(failure);
        log.info("Email of links {} failed ({}), trying again", ids, code(failure));
        return tokens.deliveryAttemptFailed(ids, summary).onErrorResume(e -> {
            log.warn("Could not record a failed email attempt of links {}", ids, e);
            return Mono.empty();
        });
    }

    private Mono<Boolean> emailed(List<UUID> ids) {
        Instant at = now();
        return tx.transactional(tokens.markEmailed(ids, at)
                        .concatMap(token -> history.record(token.id(), "emailed", null, null, at)
                                .then(events.emailed(token, token.delivery().attempts(), at)))
                        .then())
                .then(Mono.fromSupplier(() -> {
                    meters.counter("drawbridge.emails", "outcome", "sent").increment();
                    log.info("Emailed links {}", ids);
                    return true;
                }))
                .onErrorResume(recording -> {
                    log.error("Emailed links {} but could not record it", ids, recording);
                    return Mono.just(true);
                });
    }

    private Mono<Boolean> failed(List<UUID> ids, Throwable failure) {
        Instant at = now();
        String code = code(failure);
        return tx.transactional(tokens.markDeliveryFailed(ids, summary(failure), at)
                        .concatMap(id -> history.record(id, "email_failed", null, code, at))
                        .then())
                .then(Mono.fromSupplier(() -> {
                    meters.counter("drawbridge.emails", "outcome", "failed").increment();
                    log.warn("Could not email links {} ({}): marked undelivered, to be re-sent", ids, code);
                    return false;
                }))
                .onErrorResume(recording -> {
                    log.error("Could not email links {} ({}) nor record it", ids, code, recording);
                    return Mono.just(false);
                });
    }

    private static String code(Throwable failure) {
        return failure instanceof MailRefused refused ? refused.code() : "mail_error";
    }

    private static String summary(Throwable failure) {
        return failure instanceof MailRefused refused
                ? refused.summary()
                : "mail_error: " + failure.getClass().getSimpleName();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
