package io.drawbridge.token.issue.domain;

import io.drawbridge.events.GrantOutcome;
import io.drawbridge.token.catalog.domain.Catalog;
import io.drawbridge.token.catalog.domain.CatalogFile;
import io.drawbridge.token.catalog.domain.Platform;
import io.drawbridge.token.catalog.domain.PlatformChoice;
import io.drawbridge.token.config.TokenProperties;
import io.drawbridge.token.redeem.domain.GrantBook;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Issues and revokes links. A link is checked against the catalog read model when issued (an unknown product or
 * file is refused at once, not at the customer's first click), stored as the hash of its token, and announced
 * through the outbox in the same transaction.
 */
@Service
public class TokenIssuer {

    static final int MAX_EMAIL_LENGTH = 320;
    static final int MAX_ORDER_ID_LENGTH = 200;
    static final int MAX_NOTE_LENGTH = 2000;
    static final int MAX_FILES = 100;
    static final Set<String> REVOKE_REASONS = Set.of(
            "admin",
            "refunded",
            "disputed",
            "dispute_lost",
            "canceled",
            "chargeback",
            "fraud",
            "customer_request",
            "reissued");

    private final TokenLedger tokens;
    private final GrantBook grants;
    private final TokenHistory history;
    private final TokenEvents events;
    private final Catalog catalog;
    private final TransactionalOperator tx;
    private final TokenProperties properties;
    private final Clock clock;
    private final MeterRegistry meters;

    TokenIssuer(
            TokenLedger tokens,
            GrantBook grants,
            TokenHistory history,
            TokenEvents events,
            Catalog catalog,
            TransactionalOperator tx,
            TokenProperties properties,
            Clock clock,
            MeterRegistry meters) {
        this.tokens = tokens;
        this.grants = grants;
        this.history = history;
        this.events = events;
        this.catalog = catalog;
        this.tx = tx;
        this.properties = properties;
        this.clock = clock;
        this.meters = meters;
    }

    /** Issues one link. */
    public Mono<IssuedToken> issue(IssueCommand command) {
        return validate(command)
                .then(Mono.defer(
                        () -> tx.transactional(create(command, now(), "admin", DeliveryStatus.RESPONSE, null))))
                .doOnNext(issued -> issuedCounter("admin").increment());
    }

    /**
     * Issues the link of an order line inside the caller's transaction, for an email that is sent once that
     * transaction commits (delivery {@code pending}). Checked like any other link: an unknown product is a {@link
     * TokenRequestRejected} ({@code unknown_product}), which the caller records and retries.
     */
    public Mono<IssuedToken> issueForOrder(IssueCommand command) {
        return validate(command)
                .then(Mono.defer(() -> create(command, now(), "order", DeliveryStatus.PENDING, null)))
                .doOnNext(issued -> issuedCounter("order").increment());
    }

    /**
     * Re-sends a link as a new one, since the old plaintext is not stored: revokes the old link (reason {@code
     * reissued}, live grants included) and issues one for the same customer, order line and contents with the
     * downloads the old one had left. It expires when the old one did, or, with {@code freshLifetime} (a link its
     * customer never received, or one taken back by a dispute the seller won), as long after now as the old one
     * was given. Joins the caller's transaction; the new link's email is pending.
     */
    public Mono<IssuedToken> replace(UUID tokenId, boolean freshLifetime) {
        Instant now = now();
        return tokens.lock(tokenId)
                .switchIfEmpty(Mono.error(() -> notFound(tokenId)))
                .flatMap(old -> {
                    if (old.delivery().replacedBy() != null) {
                        return Mono.error(TokenRequestRejected.conflict(
                                "already_replaced",
                                "link " + old.id() + " was re-sent as "
                                        + old.delivery().replacedBy() + "; re-send that one"));
                    }
                    int left = old.maxDownloads() - old.consumed();
                    if (left < 1) {
                        return Mono.error(TokenRequestRejected.conflict(
                                "token_exhausted", "link " + old.id() + " has no downloads left to re-send"));
                    }
                    Instant expiresAt = freshLifetime
                            ? now.plus(Duration.between(old.issuedAt(), old.expiresAt()))
                                    .truncatedTo(ChronoUnit.MICROS)
                            : old.expiresAt();
                    if (!expiresAt.isAfter(now)) {
                        return Mono.error(TokenRequestRejected.conflict(
                                "token_expired",
                                "link " + old.id() + " expired at " + old.expiresAt()
                                        + "; issue a new link with POST /api/v1/tokens"));
                    }
                    TokenSecret secret = TokenSecret.generate();
                    DownloadToken fresh = new DownloadToken(
                            UUID.randomUUID(),
                            secret.hash(),
                            old.customerEmail(),
                            old.orderId(),
                            old.orderLineId(),
                            old.productSku(),
                            old.fileIds(),
                            old.platform(),
                            old.requireEmail(),
                            old.note(),
                            left,
                            0,
                            0,
                            0,
                            now,
                            expiresAt,
                            null,
                            null,
                            null,
                            old.source(),
                            new Delivery(DeliveryStatus.PENDING, 0, null, null, null, old.id(), null));
                    return tokens.markReplaced(old.id(), fresh.id())
                            .flatMap(marked -> marked
                                    ? Mono.<Void>empty()
                                    : Mono.error(TokenRequestRejected.conflict(
                                            "already_replaced", "link " + old.id() + " was re-sent already")))
                            .then(revoke(old.id(), "reissued"))
                            .then(history.record(old.id(), "replaced", null, "re-sent as " + fresh.id(), now))
                            .then(store(fresh, "re-sent in place of " + old.id()))
                            .thenReturn(issued(fresh, secret));
                })
                .doOnNext(issued -> issuedCounter("resend").increment());
    }

    /** The links of an order: every line, every re-send, oldest first. */
    public Flux<DownloadToken> ofOrder(String orderId) {
        return tokens.findByOrder(orderId);
    }

    /**
     * Issues {@code count} links for order ids {@code <orderPrefix>-0001...}, all in one transaction: either all
     * exist afterwards or none does.
     */
    public Mono<List<IssuedToken>> issueBatch(IssueCommand command, int count, String orderPrefix) {
        if (count < 1 || count > properties.batchMaxCount()) {
            return Mono.error(
                    TokenRequestRejected.invalid("count must be between 1 and " + properties.batchMaxCount()));
        }
        if (orderPrefix == null || orderPrefix.isBlank() || orderPrefix.length() > 100) {
            return Mono.error(TokenRequestRejected.invalid("order_prefix must be 1 to 100 characters"));
        }
        int width = Math.max(4, String.valueOf(count).length());
        String format = "%s-%0" + width + "d";
        Instant now = now();
        return validate(command)
                .then(Mono.defer(() -> tx.transactional(Flux.fromStream(IntStream.rangeClosed(1, count)
                                .mapToObj(n -> command.withOrderId(String.format(format, orderPrefix.trim(), n))))
                        .concatMap(each -> create(each, now, "bulk", DeliveryStatus.RESPONSE, null))
                        .collectList())))
                .doOnNext(issued -> issuedCounter("bulk").increment(issued.size()));
    }

    public Mono<DownloadToken> find(UUID tokenId) {
        return tokens.findById(tokenId).switchIfEmpty(Mono.error(() -> notFound(tokenId)));
    }

    private static TokenRequestRejected notFound(UUID tokenId) {
        return new TokenRequestRejected(TokenRequestRejected.Kind.NOT_FOUND, "token_not_found", "no token " + tokenId);
    }

    /**
     * The landing page's view of a link, by token hash (compared in constant time after the indexed look-up);
     * empty for an unknown or malformed hash.
     */
    public Mono<LinkPreview> preview(String tokenHash) {
        if (!TokenSecret.isWellFormedHash(tokenHash)) {
            return Mono.empty();
        }
        return tokens.findByHash(tokenHash)
                .filter(token -> TokenSecret.hashesMatch(token.tokenHash(), tokenHash))
                .flatMap(token -> token.forProduct() ? previewProduct(token) : previewFiles(token));
    }

    private Mono<LinkPreview> previewProduct(DownloadToken token) {
        Platform platform = Platform.parse(token.platform()).orElse(null);
        return catalog.branding(token.productSku()).flatMap(branding -> catalog.currentRelease(token.productSku())
                .flatMap(release -> {
                    List<PlatformChoice.Choice> choices = platform == null
                            ? release.files().entrySet().stream()
                                    .flatMap(entry -> entry.getValue().stream()
                                            .map(id -> new PlatformChoice.Choice(id, entry.getKey())))
                                    .toList()
                            : PlatformChoice.choose(release, platform).orElse(List.of());
                    return catalog.filesById(choices.stream()
                                    .map(PlatformChoice.Choice::fileId)
                                    .toList())
                            .map(files -> new LinkPreview(
                                    token,
                                    release.productName(),
                                    choices.stream()
                                            .filter(choice -> deliverable(files, choice.fileId()))
                                            .map(choice -> {
                                                CatalogFile file = files.get(choice.fileId());
                                                return new LinkPreview.Item(
                                                        file.name(), file.size(), file.sha256(), choice.platform());
                                            })
                                            .toList(),
                                    branding));
                })
                .defaultIfEmpty(new LinkPreview(token, null, List.of(), branding)));
    }

    private Mono<LinkPreview> previewFiles(DownloadToken token) {
        return catalog.filesById(token.fileIds())
                .map(files -> new LinkPreview(
                        token,
                        null,
                        token.fileIds().stream()
                                .filter(id -> deliverable(files, id))
                                .map(files::get)
                                .map(file -> new LinkPreview.Item(file.name(), file.size(), file.sha256(), null))
                                .toList()));
    }

    public Mono<TokenPage> search(TokenQuery query) {
        return tokens.search(query, now());
    }

    public Flux<HistoryEntry> history(UUID tokenId) {
        return history.of(tokenId);
    }

    /**
     * Revokes the link and its live grants (downloads in flight are refused from their next request on).
     * Revoking a revoked link changes nothing and announces nothing.
     */
    public Mono<DownloadToken> revoke(UUID tokenId, String reason) {
        String why = reason == null || reason.isBlank() ? "admin" : reason.trim();
        if (!why.matches("[a-z][a-z0-9_]{0,39}")) {
            return Mono.error(TokenRequestRejected.invalid(
                    "reason must be a machine code such as admin, refunded or disputed (a-z, 0-9, _)"));
        }
        Instant now = now();
        Mono<DownloadToken> revocation = tokens.revoke(tokenId, why, now)
                .flatMap(revoked -> grants.revokeLive(tokenId, now)
                        .concatMap(grant -> events.grantSettled(grant.grantId(), tokenId, GrantOutcome.REVOKED, now)
                                .thenReturn(grant))
                        .filter(GrantBook.Released::heldUse)
                        .count()
                        .flatMap(held -> held > 0 ? tokens.releaseReserved(tokenId, held.intValue()) : Mono.empty())
                        .then(history.record(tokenId, "revoked", null, why, now))
                        .then(events.revoked(revoked, why, now))
                        .then(tokens.findById(tokenId)));
        return tx.transactional(revocation)
                .doOnNext(done -> meters.counter("drawbridge.tokens.revoked", "reason", reasonTag(why))
                        .increment())
                .switchIfEmpty(Mono.defer(() -> find(tokenId)));
    }

    /**
     * Gives a link more time: its expiry moves {@code by} later, counted from its current expiry, or from now when it
     * has expired already (an expired link becomes usable again). Refused for a revoked link, and beyond the longest
     * life a new link may have ({@code max-expires-in} from now). Grants already handed out keep their own expiry.
     */
    public Mono<DownloadToken> extend(UUID tokenId, Duration by) {
        if (by == null || by.isNegative() || by.isZero() || by.compareTo(properties.maxExpiresIn()) > 0) {
            return Mono.error(TokenRequestRejected.invalid(
                    "hours must be between 1 and " + properties.maxExpiresIn().toHours()));
        }
        Instant now = now();
        return find(tokenId).flatMap(token -> {
            if (token.revokedAt() != null) {
                return Mono.error(revoked(tokenId));
            }
            Instant from = token.expiresAt();
            Instant to = (from.isAfter(now) ? from : now).plus(by);
            if (to.isAfter(now.plus(properties.maxExpiresIn()))) {
                return Mono.error(TokenRequestRejected.invalid("a link may live at most "
                        + properties.maxExpiresIn().toHours() + " hours from now; this one would expire at " + to));
            }
            return tx.transactional(tokens.changeExpiry(tokenId, from, to)
                            .flatMap(changed -> history.record(tokenId, "extended", null, "expires " + to, now)
                                    .thenReturn(changed)))
                    .switchIfEmpty(Mono.defer(() -> Mono.error(changedMeanwhile(tokenId))));
        });
    }

    /**
     * Allows a link {@code uses} more downloads (a used-up link becomes usable again). Refused for a revoked link and
     * beyond {@code max-downloads-ceiling} in all.
     */
    public Mono<DownloadToken> addUses(UUID tokenId, int uses) {
        if (uses < 1 || uses > properties.maxDownloadsCeiling()) {
            return Mono.error(
                    TokenRequestRejected.invalid("uses must be between 1 and " + properties.maxDownloadsCeiling()));
        }
        Instant now = now();
        return find(tokenId).flatMap(token -> {
            if (token.revokedAt() != null) {
                return Mono.error(revoked(tokenId));
            }
            long to = (long) token.maxDownloads() + uses;
            if (to > properties.maxDownloadsCeiling()) {
                return Mono.error(TokenRequestRejected.invalid("a link may allow at most "
                        + properties.maxDownloadsCeiling() + " downloads; this one allows " + token.maxDownloads()));
            }
            return tx.transactional(tokens.changeMaxDownloads(tokenId, token.maxDownloads(), (int) to)
                            .flatMap(changed -> history.record(
                                            tokenId, "uses_added", null, "+" + uses + ", " + to + " in all", now)
                                    .thenReturn(changed)))
                    .switchIfEmpty(Mono.defer(() -> Mono.error(changedMeanwhile(tokenId))));
        });
    }

    private static TokenRequestRejected revoked(UUID tokenId) {
        return TokenRequestRejected.conflict("token_revoked", "token " + tokenId + " is revoked; issue a new link");
    }

    private static TokenRequestRejected changedMeanwhile(UUID tokenId) {
        return TokenRequestRejected.conflict(
                "token_changed", "token " + tokenId + " was changed or revoked meanwhile; look at it and try again");
    }

    /** Known reasons as they are; anything else as {@code other}, to keep the tag's values few. */
    static String reasonTag(String reason) {
        return REVOKE_REASONS.contains(reason) ? reason : "other";
    }

    private Mono<IssuedToken> create(
            IssueCommand command, Instant now, String source, DeliveryStatus delivery, UUID replaces) {
        TokenSecret secret = TokenSecret.generate();
        Duration lifetime = command.expiresIn() == null ? properties.defaultExpiresIn() : command.expiresIn();
        int maxDownloads = command.maxDownloads() == null ? properties.defaultMaxDownloads() : command.maxDownloads();
        Platform platform = Platform.parse(command.platform()).orElse(null);
        DownloadToken token = new DownloadToken(
                UUID.randomUUID(),
                secret.hash(),
                command.customerEmail().trim(),
                blankToNull(command.orderId()),
                blankToNull(command.orderLineId()),
                blankToNull(command.productSku()),
                command.fileIds(),
                platform == null ? null : platform.wire(),
                command.requireEmail(),
                blankToNull(command.note()),
                maxDownloads,
                0,
                0,
                0,
                now,
                now.plus(lifetime).truncatedTo(ChronoUnit.MICROS),
                null,
                null,
                null,
                source,
                new Delivery(delivery, 0, null, null, null, replaces, null));
        return store(token, null).thenReturn(issued(token, secret));
    }

    /** Inserts the token with its {@code issued} history entry and its TokenIssued event. */
    private Mono<Void> store(DownloadToken token, String detail) {
        return tokens.insert(token)
                .then(history.record(token.id(), "issued", null, detail, token.issuedAt()))
                .then(events.issued(token));
    }

    private IssuedToken issued(DownloadToken token, TokenSecret secret) {
        return new IssuedToken(
                token.id(),
                secret,
                properties.linkFor(secret.plaintext()),
                token.customerEmail(),
                token.orderId(),
                token.expiresAt(),
                token.maxDownloads());
    }

    private Mono<Void> validate(IssueCommand command) {
        List<String> problems = new ArrayList<>();
        String email = command.customerEmail();
        if (email == null || email.isBlank()) {
            problems.add("customer_email is required");
        } else if (email.trim().length() > MAX_EMAIL_LENGTH || !email.trim().matches("[^@\\s]+@[^@\\s]+")) {
            problems.add("customer_email is not an email address");
        }
        boolean product = command.productSku() != null && !command.productSku().isBlank();
        boolean files = !command.fileIds().isEmpty();
        if (product && files) {
            problems.add("give either product or files, not both");
        } else if (!product && !files) {
            problems.add("give a product or files");
        }
        if (command.fileIds().size() > MAX_FILES) {
            problems.add("at most " + MAX_FILES + " files");
        }
        if (command.fileIds().stream().anyMatch(Objects::isNull)) {
            problems.add("files must be file ids");
        } else if (new HashSet<>(command.fileIds()).size() != command.fileIds().size()) {
            problems.add("files must not repeat");
        }
        if (!Platform.isValid(command.platform())) {
            problems.add("platform must be one of windows, macos, linux, any");
        }
        if (command.maxDownloads() != null
                && (command.maxDownloads() < 1 || command.maxDownloads() > properties.maxDownloadsCeiling())) {
            problems.add("max_downloads must be between 1 and " + properties.maxDownloadsCeiling());
        }
        if (command.expiresIn() != null
                && (command.expiresIn().isNegative()
                        || command.expiresIn().isZero()
                        || command.expiresIn().compareTo(properties.maxExpiresIn()) > 0)) {
            problems.add("expires_in_hours must be between 1 and "
                    + properties.maxExpiresIn().toHours());
        }
        if (command.orderId() != null && command.orderId().length() > MAX_ORDER_ID_LENGTH) {
            problems.add("order_id must be at most " + MAX_ORDER_ID_LENGTH + " characters");
        }
        if (command.note() != null && command.note().length() > MAX_NOTE_LENGTH) {
            problems.add("note must be at most " + MAX_NOTE_LENGTH + " characters");
        }
        if (command.requireEmail() && (email == null || email.isBlank())) {
            problems.add("require_email needs customer_email");
        }
        if (!problems.isEmpty()) {
            return Mono.error(TokenRequestRejected.invalid(String.join("; ", problems)));
        }
        return product ? checkProduct(command) : checkFiles(command.fileIds());
    }

    private Mono<Void> checkProduct(IssueCommand command) {
        String sku = command.productSku().trim();
        Platform platform = Platform.parse(command.platform()).orElse(null);
        return catalog.currentRelease(sku)
                .switchIfEmpty(Mono.error(new TokenRequestRejected(
                        TokenRequestRejected.Kind.UNPROCESSABLE,
                        "unknown_product",
                        "no published release of product " + sku)))
                .flatMap(release -> PlatformChoice.offers(release, platform)
                        ? Mono.<Void>empty()
                        : Mono.error(new TokenRequestRejected(
                                TokenRequestRejected.Kind.UNPROCESSABLE,
                                "platform_unavailable",
                                "the current release of " + sku + " has no build for " + command.platform())));
    }

    private Mono<Void> checkFiles(List<UUID> fileIds) {
        return catalog.filesById(fileIds).flatMap(found -> {
            List<UUID> missing =
                    fileIds.stream().filter(id -> !deliverable(found, id)).toList();
            return missing.isEmpty()
                    ? Mono.<Void>empty()
                    : Mono.error(new TokenRequestRejected(
                            TokenRequestRejected.Kind.UNPROCESSABLE, "unknown_file", "no deliverable file " + missing));
        });
    }

    private static boolean deliverable(Map<UUID, CatalogFile> found, UUID id) {
        CatalogFile file = found.get(id);
        return file != null && file.deliverable();
    }

    private io.micrometer.core.instrument.Counter issuedCounter(String source) {
        return meters.counter("drawbridge.tokens.issued", "source", source);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
