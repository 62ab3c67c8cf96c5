package io.drawbridge.token.issue.web;

import io.drawbridge.platform.web.ProblemException;
import io.drawbridge.token.issue.domain.DeliveryStatus;
import io.drawbridge.token.issue.domain.IssuedToken;
import io.drawbridge.token.issue.domain.TokenIssuer;
import io.drawbridge.token.issue.domain.TokenQuery;
import io.drawbridge.token.issue.domain.TokenRequestRejected;
import io.drawbridge.token.issue.domain.TokenStatus;
import io.drawbridge.token.orders.domain.OrderLinks;
import io.drawbridge.token.redeem.domain.GrantBook;
import jakarta.validation.Valid;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The admin API for links ({@code Bearer DRAWBRIDGE_ADMIN_TOKEN}, enforced by the platform): issue one or many,
 * look them up (with their email delivery and their order), revoke. JSON is snake_case; failures are RFC 9457
 * problems. Re-sending and order links are {@code orders.web}'s.
 */
@RestController
@RequestMapping("/api/v1/tokens")
class TokenAdminController {

    static final MediaType TEXT_CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);
    static final int MAX_PAGE_SIZE = 200;

    private final TokenIssuer issuer;
    private final GrantBook grants;
    private final OrderLinks orders;
    private final Clock clock;

    TokenAdminController(TokenIssuer issuer, GrantBook grants, OrderLinks orders, Clock clock) {
        this.issuer = issuer;
        this.grants = grants;
        this.orders = orders;
        this.clock = clock;
    }

    @PostMapping
    Mono<ResponseEntity<IssuedTokenResponse>> issue(@Valid @RequestBody IssueTokenRequest request) {
        return issuer.issue(request.toCommand())
                .map(issued -> ResponseEntity.created(URI.create("/api/v1/tokens/" + issued.tokenId()))
                        .contentType(MediaType.APPLICATION_JSON)
                        .body(IssuedTokenResponse.single(issued)))
                .onErrorMap(TokenRequestRejected.class, TokenAdminController::problem);
    }

    /** JSON by default; {@code Accept: text/csv} gives a CSV for mail merge (order_id, email, link, expires_at). */
    @PostMapping("/batch")
    Mono<ResponseEntity<?>> issueBatch(
            @Valid @RequestBody IssueBatchRequest request,
            @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        boolean csv = wantsCsv(accept);
        return issuer.issueBatch(request.toCommand(), request.count(), request.orderPrefix())
                .<ResponseEntity<?>>map(issued -> csv ? csv(issued, request.orderPrefix()) : json(issued))
                .onErrorMap(TokenRequestRejected.class, TokenAdminController::problem);
    }

    @GetMapping
    Mono<TokenViews.Page> list(
            @RequestParam(required = false) String email,
            @RequestParam(name = "order_id", required = false) String orderId,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String delivery,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        TokenStatus wanted = null;
        if (status != null && !status.isBlank()) {
            wanted = TokenStatus.parse(status)
                    .orElseThrow(() -> new ProblemException(
                            HttpStatus.BAD_REQUEST,
                            "validation_failed",
                            "status must be one of active, exhausted, expired, revoked"));
        }
        DeliveryStatus deliveryStatus = null;
        if (delivery != null && !delivery.isBlank()) {
            deliveryStatus = DeliveryStatus.parse(delivery)
                    .orElseThrow(() -> new ProblemException(
                            HttpStatus.BAD_REQUEST,
                            "validation_failed",
                            "delivery must be one of response, pending, emailed, failed"));
        }
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new ProblemException(
                    HttpStatus.BAD_REQUEST,
                    "validation_failed",
                    "page must be 0 or more and size between 1 and " + MAX_PAGE_SIZE);
        }
        return issuer.search(new TokenQuery(email, orderId, wanted, deliveryStatus, page, size))
                .map(found -> TokenViews.page(found, clock.instant()));
    }

    @GetMapping("/{tokenId}")
    Mono<TokenViews.Details> get(@PathVariable UUID tokenId) {
        return details(issuer.find(tokenId).map(token -> token.id()));
    }

    @PostMapping("/{tokenId}/revoke")
    Mono<TokenViews.Details> revoke(
            @PathVariable UUID tokenId, @Valid @RequestBody(required = false) RevokeRequest request) {
        return details(issuer.revoke(tokenId, request == null ? null : request.reason())
                .map(token -> token.id()));
    }

    /** {@code {hours}}: the link's expiry moves that much later (from now if it has expired). */
    @PostMapping("/{tokenId}/extend")
    Mono<TokenViews.Details> extend(@PathVariable UUID tokenId, @Valid @RequestBody ExtendRequest request) {
        return details(issuer.extend(tokenId, Duration.ofHours(request.hours())).map(token -> token.id()));
    }

    /** {@code {uses}}: the link allows that many more downloads. */
    @PostMapping("/{tokenId}/add-uses")
    Mono<TokenViews.Details> addUses(@PathVariable UUID tokenId, @Valid @RequestBody AddUsesRequest request) {
        return details(issuer.addUses(tokenId, request.uses()).map(token -> token.id()));
    }

    private Mono<TokenViews.Details> details(Mono<UUID> tokenId) {
        return tokenId.flatMap(id -> issuer.find(id).flatMap(token -> Mono.zip(
                                grants.findByToken(id).collectList(),
                                issuer.history(id).collectList(),
                                orders.order(token.orderId()).map(Optional::of).defaultIfEmpty(Optional.empty()))
                        .map(parts -> TokenViews.details(
                                token,
                                parts.getT1(),
                                parts.getT2(),
                                parts.getT3().orElse(null),
                                clock.instant()))))
                .onErrorMap(TokenRequestRejected.class, TokenAdminController::problem);
    }

    private static ResponseEntity<BatchResponse> json(List<IssuedToken> issued) {
        return ResponseEntity.status(HttpStatus.CREATED)
                .contentType(MediaType.APPLICATION_JSON)
                .body(new BatchResponse(
                        issued.size(),
                        issued.stream().map(IssuedTokenResponse::row).toList()));
    }

    private static ResponseEntity<String> csv(List<IssuedToken> issued, String orderPrefix) {
        String fileName = orderPrefix.trim().replaceAll("[^A-Za-z0-9._-]+", "-") + "-links.csv";
        return ResponseEntity.status(HttpStatus.CREATED)
                .contentType(TEXT_CSV)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName + "\"")
                .body(MailMergeCsv.of(issued));
    }

    static boolean wantsCsv(String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        try {
            List<MediaType> types = MediaType.parseMediaTypes(accept).stream()
                    .sorted(Comparator.comparingDouble(MediaType::getQualityValue)
                            .reversed())
                    .toList();
            for (MediaType type : types) {
                if (type.isWildcardType()) {
                    return false;
                }
                if (type.isCompatibleWith(TEXT_CSV)) {
                    return true;
                }
                if (type.isCompatibleWith(MediaType.APPLICATION_JSON)) {
                    return false;
                }
            }
            return false;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static ProblemException problem(TokenRequestRejected rejected) {
        HttpStatus status =
                switch (rejected.kind()) {
                    case INVALID -> HttpStatus.BAD_REQUEST;
                    case UNPROCESSABLE -> HttpStatus.UNPROCESSABLE_CONTENT;
                    case NOT_FOUND -> HttpStatus.NOT_FOUND;
                    case CONFLICT -> HttpStatus.CONFLICT;
                };
        return new ProblemException(status, rejected.error(), rejected.detail());
    }
}
