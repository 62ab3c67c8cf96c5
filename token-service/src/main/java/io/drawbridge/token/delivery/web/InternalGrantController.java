package io.drawbridge.token.delivery.web;

import io.drawbridge.events.GrantedItem;
import io.drawbridge.platform.web.ProblemException;
import io.drawbridge.token.delivery.domain.DeliveryLedger;
import io.drawbridge.token.delivery.domain.GrantStanding;
import io.drawbridge.token.redeem.messaging.GrantedItems;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The gateway's question before every download response: does this grant still hold ({@code Bearer
 * DRAWBRIDGE_SERVICE_TOKEN}). camelCase, as the grant contract in the team notes has it.
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
     * Before it serves a grant that gave its use back (an interrupted download being resumed), the gateway has it
     * take a use again: {@code 200} with the grant's view, or {@code 409 usage_limit_exceeded} when the token has no
     * use left (another download took it meanwhile).
     */
    @PostMapping("/internal/v1/grants/{grantId}/use")
    Mono<ResponseEntity<GrantView>> holdUse(@PathVariable UUID grantId) {
        return ledger.holdUse(grantId)
                .map(standing -> ResponseEntity.ok(GrantView.of(standing)))
                .defaultIfEmpty(ResponseEntity.notFound().build())
                .onErrorMap(
                        DeliveryLedger.NoUseLeft.class,
                        e -> new ProblemException(
                                HttpStatus.CONFLICT,
                                "usage_limit_exceeded",
                                "The link has no download left to resume this one with."));
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
