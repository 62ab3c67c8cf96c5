package io.drawbridge.token.redeem.domain;

import io.drawbridge.token.catalog.domain.Catalog;
import io.drawbridge.token.catalog.domain.Platform;
import io.drawbridge.token.catalog.domain.Resolution;
import io.drawbridge.token.config.TokenProperties;
import io.drawbridge.token.issue.domain.DownloadToken;
import io.drawbridge.token.issue.domain.TokenHistory;
import io.drawbridge.token.issue.domain.TokenLedger;
import io.drawbridge.token.issue.domain.TokenSecret;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Turns a download request into a grant or a refusal. Atomic without locks: requests for one token arrive one
 * at a time on their partition, and the reservation is a conditional UPDATE that cannot exceed the limit even
 * when two instances see the same token during a rebalance. The answer is stored with the effect, keyed by
 * request id, so a redelivered request is answered again instead of applied twice.
 */
@Service
public class Redemptions {

    private final TokenLedger tokens;
    private final GrantBook grants;
    private final RedemptionLog answers;
    private final TokenHistory history;
    private final Catalog catalog;
    private final TransactionalOperator tx;
    private final TokenProperties properties;
    private final Clock clock;

    Redemptions(
            TokenLedger tokens,
            GrantBook grants,
            RedemptionLog answers,
            TokenHistory history,
            Catalog catalog,
            TransactionalOperator tx,
            TokenProperties properties,
            Clock clock) {
        this.tokens = tokens;
        this.grants = grants;
        this.answers = answers;
        this.history = history;
        this.catalog = catalog;
        this.tx = tx;
        this.properties = properties;
        this.clock = clock;
    }

    public Mono<RedeemOutcome> redeem(RedeemRequest request) {
        return answers.find(request.requestId())
                .flatMap(this::replay)
                .switchIfEmpty(Mono.defer(() -> decide(request)))
                .onErrorResume(AlreadyAnswered.class, e -> answers.find(request.requestId())
                        .flatMap(this::replay));
    }

    /**
     * Decides a poll's worth of requests (one partition's, in its order) with a fixed number of statements however
     * many there are. The stored answers, the tokens, the clients' live grants and the catalog are read for all at
     * once, outside the transaction and two at a time in parallel: under READ COMMITTED each statement sees what was
     * committed when it started, inside a transaction or not, and what keeps the limit is the reservation. The
     * decisions are made in memory in order ({@link PollDecision}); then one short transaction reserves every
     * token's uses by one conditional UPDATE (a token that changed meanwhile reserves nothing) and writes the grants,
     * their items, the history and the answers in one statement. A request this cannot decide (answered
     * before, a grant taking its use again, a token whose reservation failed, or the whole poll when another
     * delivery answered one of its requests first) is then decided by {@link #redeem} on its own, after the others,
     * in order.
     */
    public Mono<List<RedeemOutcome>> redeemAll(List<RedeemRequest> requests) {
        if (requests.isEmpty()) {
            return Mono.just(List.of());
        }
        return Mono.defer(() -> decidePoll(requests))
                .onErrorResume(AlreadyAnswered.class, e -> Mono.just(new Poll(List.of(), requests)))
                .flatMap(poll -> Flux.fromIterable(poll.deferred())
                        .concatMap(this::redeem)
                        .collectList()
                        .map(rest -> {
                            List<RedeemOutcome> all = new ArrayList<>(poll.decided());
                            all.addAll(rest);
                            return all;
                        }));
    }

    /** What the poll's transaction decided, and what is left for one-at-a-time decisions. */
    private record Poll(List<RedeemOutcome> decided, List<RedeemRequest> deferred) {}

    private Mono<Poll> decidePoll(List<RedeemRequest> requests) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<RedeemRequest> first = new ArrayList<>();
        List<RedeemRequest> later = new ArrayList<>();
        Set<UUID> seen = new HashSet<>();
        for (RedeemRequest request : requests) {
            (seen.add(request.requestId()) ? first : later).add(request);
        }
        Set<String> hashes = first.stream()
                .map(RedeemRequest::tokenHash)
                .filter(TokenSecret::isWellFormedHash)
                .collect(Collectors.toSet());
        Mono<Set<UUID>> answered =
                answers.findAll(seen).map(StoredAnswer::requestId).collect(Collectors.toSet());
        Mono<Map<String, DownloadToken>> byHash =
                tokens.findByHashes(hashes).collectMap(DownloadToken::tokenHash, Function.identity());
        return Mono.zip(answered, byHash).flatMap(both -> {
            List<RedeemRequest> open = new ArrayList<>();
            for (RedeemRequest request : first) {
                (both.getT1().contains(request.requestId()) ? later : open).add(request);
            }
            return read(open, both.getT2(), now).flatMap(reads -> {
                PollDecision decision = new PollDecision(now, properties.grantTtl());
                decision.decide(open, reads);
                return tx.transactional(Mono.defer(() -> write(decision, open, now)))
                        .map(decided -> {
                            List<RedeemRequest> deferred = new ArrayList<>(decision.deferred);
                            deferred.addAll(later);
                            return new Poll(decided, deferred);
                        });
            });
        });
    }

    /** The live grants of the requests' clients and the catalog's answer for what their tokens deliver. */
    private Mono<PollDecision.Reads> read(List<RedeemRequest> open, Map<String, DownloadToken> byHash, Instant now) {
        Map<GrantBook.Client, DownloadToken> clients = new LinkedHashMap<>();
        for (RedeemRequest request : open) {
            PollDecision.token(request, byHash).ifPresent(token -> PollDecision.client(token, request)
                    .ifPresent(client -> clients.put(client, token)));
        }
        Set<Catalog.Wanted> wanted = new LinkedHashSet<>();
        clients.forEach((client, token) -> {
            if (token.remaining() > 0) {
                wanted.add(PollDecision.wanted(token, client));
            }
        });
        Mono<Map<GrantBook.Client, Grant>> live = grants.findLive(clients.keySet(), now)
                .collect(
                        HashMap::new,
                        (map, grant) -> map.putIfAbsent(
                                new GrantBook.Client(
                                        grant.tokenId(), grant.clientIp(), grant.userAgent(), grant.platform()),
                                grant));
        return Mono.zip(live, catalog.resolveAll(wanted))
                .map(both -> new PollDecision.Reads(byHash, both.getT1(), both.getT2()));
    }

    /** Reserves, then writes grants, history and answers in one statement; the answers this transaction decided. */
    private Mono<List<RedeemOutcome>> write(PollDecision decision, List<RedeemRequest> open, Instant now) {
        return tokens.reserve(decision.reservations(), now).flatMap(remainingAfter -> {
            decision.reserved(remainingAfter, open);
            List<RedeemOutcome> outcomes = decision.outcomes();
            List<StoredAnswer> stored =
                    outcomes.stream().map(outcome -> stored(outcome, now)).toList();
            return answers.recordPoll(decision.newGrants(), decision.history(), stored)
                    .flatMap(saved -> saved == stored.size() ? Mono.just(outcomes) : Mono.error(new AlreadyAnswered()));
        });
    }

    private Mono<RedeemOutcome> decide(RedeemRequest request) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (!TokenSecret.isWellFormedHash(request.tokenHash())) {
            return deny(request, null, DenialReason.INVALID_TOKEN, "no such link", now);
        }
        return tokens.findByHash(request.tokenHash())
                .filter(token -> TokenSecret.hashesMatch(token.tokenHash(), request.tokenHash()))
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(token -> token.isPresent()
                        ? decide(token.get(), request, now)
                        : deny(request, null, DenialReason.INVALID_TOKEN, "no such link", now));
    }

    private Mono<RedeemOutcome> decide(DownloadToken token, RedeemRequest request, Instant now) {
        Optional<RedemptionPolicy.Denial> denial = RedemptionPolicy.check(token, request, now);
        if (denial.isPresent()) {
            return deny(request, token.id(), denial.get().reason(), denial.get().detail(), now);
        }
        String platformName =
                request.platform() == null || request.platform().isBlank() ? token.platform() : request.platform();
        Optional<Platform> platform = Platform.parse(platformName);
        if (platformName != null && !platformName.isBlank() && platform.isEmpty()) {
            return deny(request, token.id(), DenialReason.FILE_NOT_FOUND, "unknown platform", now);
        }
        String platformWire = platform.map(Platform::wire).orElse(null);
        return grants.findLive(token.id(), request.clientIp(), request.userAgent(), platformWire, now)
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(live -> live.isPresent()
                        ? reuse(token, live.get(), request, now)
                        : grantNew(token, platform.orElse(null), request, now));
    }

    private Mono<RedeemOutcome> reuse(DownloadToken token, Grant live, RedeemRequest request, Instant now) {
        if (live.holdsUse()) {
            return tx.transactional(answer(granted(request, live, token.remaining(), true), now));
        }
        // The grant gave its use back (a failed download): resuming it takes a use again.
        Mono<RedeemOutcome> retake = tokens.reserve(token.id(), now)
                .flatMap(remaining -> grants.retakeUse(live.id(), now)
                        .flatMap(retaken -> retaken
                                ? history.record(token.id(), "granted", live.id(), "again after a failed download", now)
                                        .then(answer(granted(request, live, remaining, true), now))
                                : Mono.error(new IllegalStateException("grant " + live.id() + " ended meanwhile"))))
                .switchIfEmpty(Mono.defer(() -> denyForNoUse(token, request, now)));
        return tx.transactional(retake);
    }

    private Mono<RedeemOutcome> grantNew(DownloadToken token, Platform platform, RedeemRequest request, Instant now) {
        if (token.remaining() == 0) {
            RedemptionPolicy.Denial denial = RedemptionPolicy.noUseLeft(token, now);
            return deny(request, token.id(), denial.reason(), denial.detail(), now);
        }
        Mono<Resolution> resolution = token.forProduct()
                ? catalog.forProduct(token.productSku(), platform)
                : catalog.forFiles(token.fileIds());
        return resolution.flatMap(resolved -> {
            if (!(resolved instanceof Resolution.Resolved files)) {
                String detail = ((Resolution.Unavailable) resolved).detail();
                return deny(request, token.id(), DenialReason.FILE_NOT_FOUND, detail, now);
            }
            return tx.transactional(tokens.reserve(token.id(), now)
                    .flatMap(remaining -> {
                        Grant grant = Grant.issue(
                                token.id(),
                                request,
                                platform == null ? null : platform.wire(),
                                files,
                                now,
                                properties.grantTtl());
                        return grants.insert(grant)
                                .then(history.record(token.id(), "granted", grant.id(), null, now))
                                .then(answer(granted(request, grant, remaining, false), now));
                    })
                    .switchIfEmpty(Mono.defer(() -> denyForNoUse(token, request, now))));
        });
    }

    /** Inside the reservation's transaction: the token changed meanwhile, say why from its current state. */
    private Mono<RedeemOutcome> denyForNoUse(DownloadToken token, RedeemRequest request, Instant now) {
        return tokens.findById(token.id()).defaultIfEmpty(token).flatMap(current -> {
            RedemptionPolicy.Denial denial = RedemptionPolicy.noUseLeft(current, now);
            return recordDenial(request, token.id(), denial.reason(), denial.detail(), now);
        });
    }

    private Mono<RedeemOutcome> deny(
            RedeemRequest request, UUID tokenId, DenialReason reason, String detail, Instant now) {
        return tx.transactional(recordDenial(request, tokenId, reason, detail, now));
    }

    private Mono<RedeemOutcome> recordDenial(
            RedeemRequest request, UUID tokenId, DenialReason reason, String detail, Instant now) {
        RedeemOutcome denied = new RedeemOutcome.Denied(request.requestId(), tokenId, reason, detail, false);
        Mono<Void> trail = tokenId == null ? Mono.empty() : history.record(tokenId, "denied", null, reason.wire(), now);
        return trail.then(answer(denied, now));
    }

    private static RedeemOutcome granted(RedeemRequest request, Grant grant, int remaining, boolean reused) {
        return new RedeemOutcome.Granted(request.requestId(), grant, remaining, reused, false);
    }

    /** Stores the answer in the caller's transaction; a concurrent answer for the same request rolls it back. */
    private Mono<RedeemOutcome> answer(RedeemOutcome outcome, Instant now) {
        return answers.save(stored(outcome, now))
                .flatMap(saved -> saved ? Mono.just(outcome) : Mono.error(new AlreadyAnswered()));
    }

    private static StoredAnswer stored(RedeemOutcome outcome, Instant now) {
        if (outcome instanceof RedeemOutcome.Granted g) {
            return new StoredAnswer(
                    g.requestId(),
                    g.grant().tokenId(),
                    g.grant().id(),
                    true,
                    g.reused(),
                    g.downloadsRemaining(),
                    null,
                    null,
                    now);
        }
        RedeemOutcome.Denied d = (RedeemOutcome.Denied) outcome;
        return new StoredAnswer(
                d.requestId(), d.tokenId(), null, false, false, null, d.reason().wire(), d.detail(), now);
    }

    private Mono<RedeemOutcome> replay(StoredAnswer stored) {
        if (!stored.granted()) {
            return Mono.just(new RedeemOutcome.Denied(
                    stored.requestId(),
                    stored.tokenId(),
                    DenialReason.fromWire(stored.reason()),
                    stored.detail(),
                    true));
        }
        return grants.findById(stored.grantId())
                .map(grant -> new RedeemOutcome.Granted(
                        stored.requestId(), grant, stored.downloadsRemaining(), stored.reused(), true));
    }

    /** Another delivery of the same request answered first; its answer is the one to repeat. */
    static final class AlreadyAnswered extends RuntimeException {
        AlreadyAnswered() {
            super("request answered concurrently", null, false, false);
        }
    }
}
