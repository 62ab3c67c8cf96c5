package io.drawbridge.token.issue.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.drawbridge.token.issue.domain.LinkPreview;
import io.drawbridge.token.issue.domain.TokenIssuer;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * What the gateway's landing page may know about a link before it is redeemed ({@code Bearer
 * DRAWBRIDGE_SERVICE_TOKEN}). A read: it never reserves or consumes a use.
 */
@RestController
class InternalTokenController {

    private final TokenIssuer issuer;
    private final Clock clock;

    InternalTokenController(TokenIssuer issuer, Clock clock) {
        this.issuer = issuer;
        this.clock = clock;
    }

    @GetMapping("/internal/v1/tokens/by-hash/{tokenHash}")
    Mono<ResponseEntity<Preview>> byHash(@PathVariable String tokenHash) {
        return issuer.preview(tokenHash)
                .map(preview -> ResponseEntity.ok(Preview.of(preview, clock.instant())))
                .defaultIfEmpty(ResponseEntity.notFound().build());
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Preview(
            UUID tokenId,
            String status,
            Instant expiresAt,
            int downloadsRemaining,
            String productName,
            boolean emailRequired,
            String platform,
            List<Item> items) {

        static Preview of(LinkPreview preview, Instant now) {
            return new Preview(
                    preview.token().id(),
                    preview.token().status(now).wire(),
                    preview.token().expiresAt(),
                    preview.token().remaining(),
                    preview.productName(),
                    preview.token().requireEmail(),
                    preview.token().platform(),
                    preview.items().stream()
                            .map(item -> new Item(item.name(), item.size(), item.sha256(), item.platform()))
                            .toList());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Item(String name, long size, String sha256, String platform) {}
}
