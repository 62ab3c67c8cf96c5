package io.drawbridge.token.delivery.web;

import io.drawbridge.events.ArchiveKind;
import io.drawbridge.events.GrantedItem;
import io.drawbridge.platform.web.ProblemException;
import io.drawbridge.token.delivery.domain.ByteLease;
import io.drawbridge.token.delivery.domain.DeliveryLedger;
import io.drawbridge.token.delivery.domain.GrantStanding;
import io.drawbridge.token.delivery.domain.LeaseRefused;
import io.drawbridge.token.redeem.messaging.GrantedItems;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The gateway's side of a download ({@code Bearer DRAWBRIDGE_SERVICE_TOKEN}): what a grant is, and the byte leases
 * every response takes before it sends and ends when it is over (see {@link DeliveryLedger}). camelCase.
 */
@RestController
class InternalGrantController {

    private final DeliveryLedger ledger;

    InternalGrantController(DeliveryLedger ledger) {
        this.ledger = ledger;
    }

    @GetMapping("/internal/v1/grants/{grantId}")
    Mono<ResponseEntity<GrantView>> grant(@PathVariable UUID grantId) {
        return ledger.standing(grantId)
                .map(standing -> ResponseEntity.ok(GrantView.of(standing)))
                .defaultIfEmpty(ResponseEntity.notFound().build());
    }

    /**
     * Before a response sends its first byte, the gateway leases its first window: {@code 201} with the lease, or a
     * problem saying why not ({@code 409} {@code range_in_use}, {@code already_delivered}, {@code
     * usage_limit_exceeded}, {@code byte_budget_spent}; {@code 410} {@code token_expired}, {@code token_revoked};
     * {@code 400} {@code invalid_lease}; {@code 404} {@code grant_not_found}; {@code 503} {@code answer_too_late}
     * when the request's {@code answerBy} passed before it could be decided).
     */
    @PostMapping("/internal/v1/grants/{grantId}/leases")
    Mono<ResponseEntity<LeaseView>> lease(@PathVariable UUID grantId, @RequestBody LeaseRequestBody body) {
        return ledger.lease(grantId, body.toRequest())
                .map(lease -> ResponseEntity.status(HttpStatus.CREATED).body(LeaseView.of(lease)))
                .onErrorMap(LeaseRefused.class, InternalGrantController::problem);
    }

    /** The response's next window: the lease as it stands then, or a problem as for {@link #lease}. */
    @PatchMapping("/internal/v1/leases/{leaseId}")
    Mono<LeaseView> extend(@PathVariable UUID leaseId, @RequestBody ExtendBody body) {
        return ledger.extend(leaseId, body.leasedEnd())
                .map(LeaseView::of)
                .onErrorMap(LeaseRefused.class, InternalGrantController::problem);
    }

    /** The response is over: what it sent from the lease's start, and whether it delivered all it promised. */
    @PostMapping("/internal/v1/leases/{leaseId}/end")
    Mono<ResponseEntity<Void>> end(@PathVariable UUID leaseId, @RequestBody EndBody body) {
        return ledger.end(leaseId, body.bytesSent(), body.complete())
                .thenReturn(ResponseEntity.noContent().<Void>build());
    }

    private static ProblemException problem(LeaseRefused refused) {
        HttpStatus status =
                switch (refused.reason()) {
                    case NOT_FOUND -> HttpStatus.NOT_FOUND;
                    case INVALID -> HttpStatus.BAD_REQUEST;
                    case GRANT_ENDED, REVOKED -> HttpStatus.GONE;
                    case RANGE_IN_USE, ALREADY_DELIVERED, NO_USE_LEFT, BUDGET_SPENT -> HttpStatus.CONFLICT;
                    case LATE -> HttpStatus.SERVICE_UNAVAILABLE;
                };
        return new ProblemException(status, refused.reason().error(), refused.getMessage());
    }

    /**
     * @param target the file's id; null for the ZIP of all items
     * @param archive how the ZIP is served ({@code laid_out}, {@code streamed}); null for a file
     * @param targetSize bytes of the whole file or ZIP
     * @param start first byte of the window
     * @param end the window's end (exclusive)
     * @param responseEnd the end (exclusive) of all the response will send
     * @param leaseId the id the gateway gives the lease (optional), so that it can end one whose answer it missed
     * @param answerBy until when the gateway waits for the answer (optional): past it the lease is refused
     */
    record LeaseRequestBody(
            UUID target,
            ArchiveKind archive,
            long targetSize,
            long start,
            long end,
            Long responseEnd,
            UUID leaseId,
            Instant answerBy) {
        DeliveryLedger.LeaseRequest toRequest() {
            return new DeliveryLedger.LeaseRequest(
                    target,
                    archive,
                    targetSize,
                    start,
                    end,
                    responseEnd == null ? end : responseEnd,
                    leaseId,
                    answerBy);
        }
    }

    record ExtendBody(long leasedEnd) {}

    record EndBody(long bytesSent, boolean complete) {}

    /** A lease as the gateway sees it: the window it may send, until when without a word. */
    record LeaseView(UUID leaseId, UUID grantId, long start, long leasedEnd, Instant expiresAt) {
        static LeaseView of(ByteLease lease) {
            return new LeaseView(lease.id(), lease.grantId(), lease.start(), lease.leasedEnd(), lease.expiresAt());
        }
    }

    /**
     * The contract's grant view: status active|completed|released|revoked|expired; {@code holdsUse} whether the grant
     * holds one of the token's uses now (false after an interrupted download gave it back).
     */
    record GrantView(
            UUID grantId,
            UUID tokenId,
            String status,
            boolean holdsUse,
            Instant expiresAt,
            List<GrantedItem> items,
            String archiveName,
            long bytesDelivered,
            long byteBudget) {

        static GrantView of(GrantStanding standing) {
            return new GrantView(
                    standing.grant().id(),
                    standing.grant().tokenId(),
                    standing.status().wire(),
                    standing.grant().holdsUse(),
                    standing.grant().expiresAt(),
                    GrantedItems.of(standing.grant().items()),
                    standing.grant().archiveName(),
                    standing.bytesDelivered(),
                    standing.byteBudget());
        }
    }
}
