package io.drawbridge.token.delivery.web;

import io.drawbridge.events.GrantedItem;
import io.drawbridge.token.delivery.domain.DeliveryLedger;
import io.drawbridge.token.delivery.domain.GrantStanding;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
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

    /** The contract's grant view: status active|completed|released|revoked|expired. */
    record GrantView(
            UUID grantId,
            UUID tokenId,
            String status,
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
                    standing.grant().expiresAt(),
                    standing.grant().items().stream()
                            .map(item -> new GrantedItem(
                                    item.fileId(),
                                    item.objectKey(),
                                    item.name(),
                                    item.size(),
                                    item.sha256(),
                                    item.contentType(),
                                    item.platform()))
                            .toList(),
                    standing.grant().archiveName(),
                    standing.bytesDelivered(),
                    standing.byteBudget());
        }
    }
}
