package io.drawbridge.gateway.grant.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.drawbridge.events.ArchiveKind;
import io.drawbridge.events.DownloadGranted;
import io.drawbridge.gateway.config.GatewayProperties;
import io.drawbridge.gateway.web.DownloadRefused;
import io.drawbridge.gateway.web.PublicError;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * token-service's side of every download response, behind a timeout and a circuit breaker: what a grant is, and the
 * byte leases a response takes before it sends and ends when it is over.
 */
@Component
public class GrantClient {

    private static final Logger log = LoggerFactory.getLogger(GrantClient.class);

    private final WebClient tokenService;
    private final CircuitBreaker circuitBreaker;
    private final Duration timeout;
    private final Duration retryAfter;
    /** Grants redeemed here in the last minutes, as their DownloadGranted described them. */
    private final Cache<UUID, GrantView> justGranted = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(Duration.ofMinutes(5))
            .build();

    /** How often a lease's end is tried before it is left to expire (about a minute and a half in all). */
    private static final int END_ATTEMPTS = 12;

    /** How long a lease for bytes another response is sending is asked again (10 × 250 ms). */
    private static final int BUSY_RETRIES = 10;

    private static final Duration BUSY_RETRY_DELAY = Duration.ofMillis(250);

    static final String RANGE_IN_USE = "This download is already running in another window or program. Let that one"
            + " finish, or stop it and resume it here.";

    GrantClient(WebClient tokenServiceClient, CircuitBreakerRegistry circuitBreakers, GatewayProperties properties) {
        this.tokenService = tokenServiceClient;
        this.circuitBreaker = circuitBreakers.circuitBreaker("token-service-http");
        this.timeout = properties.tokenService().timeout();
        this.retryAfter = properties.retryAfter();
    }

    /**
     * What a redemption on this instance was just granted: the grant's first download (most often on the same
     * instance, right after the 303) need not ask token-service what the grant covers. Whether it may still send is
     * the byte lease's answer, which is always asked.
     */
    public void remember(DownloadGranted granted) {
        justGranted.put(
                granted.grantId(),
                new GrantView(
                        granted.grantId(),
                        granted.tokenId(),
                        "active",
                        true,
                        granted.expiresAt(),
                        granted.items(),
                        granted.archiveName(),
                        0,
                        0));
    }

    /** The grant; empty if token-service does not know it; a 503 refusal if it cannot be asked. */
    public Mono<GrantView> find(UUID grantId) {
        GrantView granted = justGranted.getIfPresent(grantId);
        if (granted != null) {
            return Mono.just(granted);
        }
        return tokenService
                .get()
                .uri("/internal/v1/grants/{grantId}", grantId)
                .exchangeToMono(response -> {
                    if (response.statusCode().is2xxSuccessful()) {
                        return response.bodyToMono(GrantView.class);
                    }
                    if (response.statusCode().value() == 404) {
                        return response.releaseBody().then(Mono.empty());
                    }
                    return response.createError();
                })
                .transform(call -> guarded(call, grantId));
    }

    /**
     * Leases a response's first window from token-service, the one owner of what a grant may send: the lease, or the
     * refusal to answer the client with (another response sending these bytes, a copy already sent, no use or byte
     * left, an ended grant). Nothing may be sent before this answers.
     */
    public Mono<Lease> lease(UUID grantId, LeaseRequest request) {
        return Mono.defer(() -> {
                    // The gateway names the lease and says how long it waits: token-service grants nothing past that
                    // moment, and a lease granted before it whose answer got lost on the way is ended by that name,
                    // so that it does not hold its bytes unsent and refuse the client's next try as "in use".
                    UUID leaseId = UUID.randomUUID();
                    Instant answerBy = Instant.now().plus(timeout.minus(timeout.dividedBy(4)));
                    return tokenService
                            .post()
                            .uri("/internal/v1/grants/{grantId}/leases", grantId)
                            .bodyValue(LeaseCall.of(request, leaseId, answerBy))
                            .exchangeToMono(response -> response.statusCode().is2xxSuccessful()
                                    ? response.bodyToMono(Lease.class)
                                    : refusal(response))
                            .transform(this::protect)
                            .doOnError(GrantClient::unanswered, e -> end(
                                            new Lease(leaseId, grantId, request.start(), request.end()), 0, false)
                                    .subscribe())
                            .onErrorMap(e -> !(e instanceof DownloadRefused), e -> unavailable(grantId, e));
                })
                // The response these bytes are busy with may just have ended (a client resuming the moment its last
                // attempt broke off, before that attempt's lease is ended): ask again for a little while.
                .retryWhen(Retry.fixedDelay(BUSY_RETRIES, BUSY_RETRY_DELAY)
                        .filter(GrantClient::busy)
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
    }

    /** A lease call that went out and got no answer the gateway can trust (timed out, broke, a 5xx). */
    private static boolean unanswered(Throwable e) {
        return !(e instanceof DownloadRefused) && !(e instanceof CallNotPermittedException);
    }

    private static boolean busy(Throwable e) {
        return e instanceof DownloadRefused refused
                && refused.detail().orElse("").equals(RANGE_IN_USE);
    }

    /** Extends a running lease to {@code end} (exclusive) before the response sends its next window. */
    public Mono<Lease> extend(Lease lease, long end) {
        return tokenService
                .patch()
                .uri("/internal/v1/leases/{leaseId}", lease.leaseId())
                .bodyValue(new Extension(end))
                .exchangeToMono(response ->
                        response.statusCode().is2xxSuccessful() ? response.bodyToMono(Lease.class) : refusal(response))
                .transform(call -> guarded(call, lease.grantId()));
    }

    /**
     * Ends a lease with what the response sent from the lease's start and whether it delivered all it promised; the
     * unsent rest goes back to the grant. Retried for a while when token-service cannot be reached: until it hears,
     * the lease counts as sent in full, which errs on the side of the link's limit.
     */
    public Mono<Void> end(Lease lease, long bytesSent, boolean complete) {
        return tokenService
                .post()
                .uri("/internal/v1/leases/{leaseId}/end", lease.leaseId())
                .bodyValue(new Ending(bytesSent, complete))
                .retrieve()
                .toBodilessEntity()
                .timeout(timeout)
                .retryWhen(Retry.backoff(END_ATTEMPTS, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(10)))
                .doOnError(e -> log.warn(
                        "Could not end lease {} of grant {}: {}", lease.leaseId(), lease.grantId(), e.toString()))
                .onErrorComplete()
                .then();
    }

    /** What token-service said no with, as the client's outcome. */
    private static <T> Mono<T> refusal(ClientResponse response) {
        int status = response.statusCode().value();
        if (status != 409 && status != 410 && status != 404) {
            return response.createError();
        }
        return response.bodyToMono(Problem.class)
                .defaultIfEmpty(new Problem(""))
                .flatMap(problem -> Mono.error(refusalFor(status, problem.error())));
    }

    static DownloadRefused refusalFor(int status, String error) {
        return switch (error == null ? "" : error) {
            case "range_in_use" -> DownloadRefused.of(PublicError.USAGE_LIMIT_EXCEEDED, RANGE_IN_USE);
            case "already_delivered" ->
                DownloadRefused.of(
                        PublicError.USAGE_LIMIT_EXCEEDED,
                        "This download was already completed. Open your download link again for another one.");
            case "usage_limit_exceeded" ->
                DownloadRefused.of(
                        PublicError.USAGE_LIMIT_EXCEEDED,
                        "This download was interrupted, and the link's downloads have been used since. It cannot be"
                                + " resumed.");
            case "byte_budget_spent" ->
                DownloadRefused.of(
                        PublicError.USAGE_LIMIT_EXCEEDED, "This link has delivered all the downloads it allows.");
            case "token_revoked" -> DownloadRefused.of(PublicError.TOKEN_REVOKED);
            case "token_expired" -> DownloadRefused.of(PublicError.TOKEN_EXPIRED);
            default -> DownloadRefused.of(status == 410 ? PublicError.TOKEN_EXPIRED : PublicError.INVALID_TOKEN);
        };
    }

    /**
     * A response's first window of a grant's target: {@code target} the file (null for the ZIP of all items, served
     * as {@code archive}: {@code laid_out} or {@code streamed}) of {@code targetSize} bytes; the window {@code [start,
     * end)} out of {@code [start, responseEnd)}.
     */
    public record LeaseRequest(
            UUID target, ArchiveKind archive, long targetSize, long start, long end, long responseEnd) {}

    /** A lease request as sent: the response's request, the lease's name and until when the gateway waits. */
    private record LeaseCall(
            UUID target,
            ArchiveKind archive,
            long targetSize,
            long start,
            long end,
            long responseEnd,
            UUID leaseId,
            Instant answerBy) {

        static LeaseCall of(LeaseRequest request, UUID leaseId, Instant answerBy) {
            return new LeaseCall(
                    request.target(),
                    request.archive(),
                    request.targetSize(),
                    request.start(),
                    request.end(),
                    request.responseEnd(),
                    leaseId,
                    answerBy);
        }
    }

    /** A window the response may send: {@code [start, leasedEnd)}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Lease(UUID leaseId, UUID grantId, long start, long leasedEnd) {}

    private record Extension(long leasedEnd) {}

    private record Ending(long bytesSent, boolean complete) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record Problem(String error) {}

    private <T> Mono<T> guarded(Mono<T> call, UUID grantId) {
        return protect(call).onErrorMap(e -> !(e instanceof DownloadRefused), e -> unavailable(grantId, e));
    }

    /** The call, bounded by the timeout and the circuit breaker. */
    private <T> Mono<T> protect(Mono<T> call) {
        return call.timeout(timeout).transformDeferred(CircuitBreakerOperator.of(circuitBreaker));
    }

    private DownloadRefused unavailable(UUID grantId, Throwable e) {
        log.warn("Grant {} look-up failed: {}", grantId, e.toString());
        return DownloadRefused.of(PublicError.TOKEN_SERVICE_UNAVAILABLE).retryAfter(retryAfter);
    }
}
