package io.drawbridge.token.redeem.domain;

import io.drawbridge.token.catalog.domain.Catalog;
import io.drawbridge.token.catalog.domain.Platform;
import io.drawbridge.token.catalog.domain.Resolution;
import io.drawbridge.token.issue.domain.DownloadToken;
import io.drawbridge.token.issue.domain.TokenHistory;
import io.drawbridge.token.issue.domain.TokenSecret;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The decisions of a poll's worth of download requests, made in memory in their partition order from what was read
 * for all of them at once, exactly as {@link Redemptions#redeem} would make them one after the other: each token's
 * uses left and the grants given earlier in the same poll count for the requests after them. What it cannot decide
 * this way (a request answered before, a live grant that gave its use back) it leaves, with every other request of
 * the same token, to the one-at-a-time path.
 */
final class PollDecision {

    /** What the poll read: tokens by hash, live grants by client, and the catalog's answer for each content. */
    record Reads(
            Map<String, DownloadToken> tokensByHash,
            Map<GrantBook.Client, Grant> liveByClient,
            Map<Catalog.Wanted, Resolution> resolutions) {}

    /** One token's part of the poll: its answers in order, the grants they create and its history entries. */
    static final class TokenPart {
        final List<RedeemOutcome> outcomes = new ArrayList<>();
        final List<Grant> newGrants = new ArrayList<>();
        final List<TokenHistory.Entry> history = new ArrayList<>();
        int remaining;

        TokenPart(int remaining) {
            this.remaining = remaining;
        }
    }

    private final Instant now;
    private final Duration grantTtl;
    /** Answers to requests that matched no token (no state to keep: they never touch the database but the answer). */
    final List<RedeemOutcome> unknown = new ArrayList<>();

    final Map<UUID, TokenPart> parts = new LinkedHashMap<>();
    final List<RedeemRequest> deferred = new ArrayList<>();

    PollDecision(Instant now, Duration grantTtl) {
        this.now = now;
        this.grantTtl = grantTtl;
    }

    /** The token a request names, if the hash is well formed and matches one (compared in constant time). */
    static Optional<DownloadToken> token(RedeemRequest request, Map<String, DownloadToken> tokensByHash) {
        if (!TokenSecret.isWellFormedHash(request.tokenHash())) {
            return Optional.empty();
        }
        return Optional.ofNullable(tokensByHash.get(request.tokenHash()))
                .filter(token -> TokenSecret.hashesMatch(token.tokenHash(), request.tokenHash()));
    }

    /** The platform a request is decided for: the one asked for, else the link's; empty when it names none. */
    static Optional<String> platformName(DownloadToken token, RedeemRequest request) {
        String name =
                request.platform() == null || request.platform().isBlank() ? token.platform() : request.platform();
        return name == null || name.isBlank() ? Optional.empty() : Optional.of(name);
    }

    /** Who a live grant for this request would be for; empty when the request names an unknown platform. */
    static Optional<GrantBook.Client> client(DownloadToken token, RedeemRequest request) {
        Optional<String> name = platformName(token, request);
        Optional<Platform> platform = name.flatMap(Platform::parse);
        if (name.isPresent() && platform.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new GrantBook.Client(
                token.id(),
                request.clientIp(),
                request.userAgent(),
                platform.map(Platform::wire).orElse(null)));
    }

    static Catalog.Wanted wanted(DownloadToken token, GrantBook.Client client) {
        return token.forProduct()
                ? Catalog.Wanted.product(
                        token.productSku(),
                        client.platform() == null
                                ? null
                                : Platform.parse(client.platform()).orElseThrow())
                : Catalog.Wanted.files(token.fileIds());
    }

    /** Decides {@code requests} (already without those answered before) in order. */
    void decide(List<RedeemRequest> requests, Reads reads) {
        // Tokens whose live grant for some client gave its use back: taking it again is the one-at-a-time path's.
        Set<UUID> retaking = new HashSet<>();
        for (RedeemRequest request : requests) {
            token(request, reads.tokensByHash())
                    .flatMap(token -> client(token, request))
                    .map(reads.liveByClient()::get)
                    .filter(live -> !live.holdsUse())
                    .ifPresent(live -> retaking.add(live.tokenId()));
        }
        Map<GrantBook.Client, Grant> grantedHere = new HashMap<>();
        for (RedeemRequest request : requests) {
            Optional<DownloadToken> found = token(request, reads.tokensByHash());
            if (found.isEmpty()) {
                unknown.add(new RedeemOutcome.Denied(
                        request.requestId(), null, DenialReason.INVALID_TOKEN, "no such link", false));
                continue;
            }
            DownloadToken token = found.get();
            if (retaking.contains(token.id())) {
                deferred.add(request);
                continue;
            }
            TokenPart part = parts.computeIfAbsent(token.id(), id -> new TokenPart(token.remaining()));
            Optional<RedemptionPolicy.Denial> denial = RedemptionPolicy.check(token, request, now);
            if (denial.isPresent()) {
                deny(part, request, token, denial.get().reason(), denial.get().detail());
                continue;
            }
            Optional<GrantBook.Client> client = client(token, request);
            if (client.isEmpty()) {
                deny(part, request, token, DenialReason.FILE_NOT_FOUND, "unknown platform");
                continue;
            }
            Grant live =
                    grantedHere.getOrDefault(client.get(), reads.liveByClient().get(client.get()));
            if (live != null) {
                part.outcomes.add(new RedeemOutcome.Granted(request.requestId(), live, part.remaining, true, false));
                continue;
            }
            if (part.remaining <= 0) {
                RedemptionPolicy.Denial none = RedemptionPolicy.noUseLeft(token, now);
                deny(part, request, token, none.reason(), none.detail());
                continue;
            }
            Resolution resolution = reads.resolutions().get(wanted(token, client.get()));
            if (!(resolution instanceof Resolution.Resolved files)) {
                String detail = resolution instanceof Resolution.Unavailable u ? u.detail() : "not in the catalog";
                deny(part, request, token, DenialReason.FILE_NOT_FOUND, detail);
                continue;
            }
            Grant grant = Grant.issue(token.id(), request, client.get().platform(), files, now, grantTtl);
            part.remaining--;
            part.newGrants.add(grant);
            part.history.add(new TokenHistory.Entry(token.id(), "granted", grant.id(), null, now));
            part.outcomes.add(new RedeemOutcome.Granted(request.requestId(), grant, part.remaining, false, false));
            grantedHere.put(client.get(), grant);
        }
    }

    /** The uses each token needs reserved for its new grants. */
    Map<UUID, Integer> reservations() {
        Map<UUID, Integer> counts = new LinkedHashMap<>();
        parts.forEach((id, part) -> {
            if (!part.newGrants.isEmpty()) {
                counts.put(id, part.newGrants.size());
            }
        });
        return counts;
    }

    /**
     * Applies the reservations' result: a token that did not get its uses (it changed since it was read) goes to
     * the one-at-a-time path with all its requests; the others' grants say how many uses the token has left after
     * each, counted from what the reservation returned.
     */
    void reserved(Map<UUID, Integer> remainingAfter, List<RedeemRequest> requests) {
        Set<UUID> failed = new HashSet<>();
        for (UUID tokenId : reservations().keySet()) {
            if (!remainingAfter.containsKey(tokenId)) {
                failed.add(tokenId);
            }
        }
        if (!failed.isEmpty()) {
            Set<UUID> failedRequests = new HashSet<>();
            failed.forEach(tokenId ->
                    parts.remove(tokenId).outcomes.forEach(outcome -> failedRequests.add(outcome.requestId())));
            requests.stream()
                    .filter(request -> failedRequests.contains(request.requestId()))
                    .forEach(deferred::add);
        }
        parts.forEach((tokenId, part) -> {
            Integer after = remainingAfter.get(tokenId);
            if (after == null) {
                return;
            }
            int left = after + part.newGrants.size();
            for (int i = 0; i < part.outcomes.size(); i++) {
                if (part.outcomes.get(i) instanceof RedeemOutcome.Granted g && !g.reused()) {
                    left--;
                    part.outcomes.set(i, new RedeemOutcome.Granted(g.requestId(), g.grant(), left, false, false));
                }
            }
        });
    }

    List<RedeemOutcome> outcomes() {
        List<RedeemOutcome> all = new ArrayList<>(unknown);
        parts.values().forEach(part -> all.addAll(part.outcomes));
        return all;
    }

    List<Grant> newGrants() {
        return parts.values().stream().flatMap(part -> part.newGrants.stream()).toList();
    }

    List<TokenHistory.Entry> history() {
        return parts.values().stream().flatMap(part -> part.history.stream()).toList();
    }

    private void deny(TokenPart part, RedeemRequest request, DownloadToken token, DenialReason reason, String detail) {
        part.outcomes.add(new RedeemOutcome.Denied(request.requestId(), token.id(), reason, detail, false));
        part.history.add(new TokenHistory.Entry(token.id(), "denied", null, reason.wire(), now));
    }
}
