package io.drawbridge.token.issue.web;

import io.drawbridge.events.http.LandingPageView;
import io.drawbridge.token.issue.domain.LinkPreview;
import io.drawbridge.token.issue.domain.TokenIssuer;
import java.time.Clock;
import java.time.Instant;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

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
    Mono<ResponseEntity<LandingPageView>> byHash(@PathVariable String tokenHash) {
        return issuer.preview(tokenHash)
                .map(preview -> ResponseEntity.ok(view(preview, clock.instant())))
                .defaultIfEmpty(ResponseEntity.notFound().build());
    }

    /** The landing page's view of a link: the contract lives in {@code events} ({@link LandingPageView}). */
    static LandingPageView view(LinkPreview preview, Instant now) {
        return new LandingPageView(
                preview.token().id(),
                preview.token().status(now).wire(),
                preview.token().expiresAt(),
                preview.token().remaining(),
                preview.productName(),
                preview.token().requireEmail(),
                preview.token().platform(),
                preview.items().stream()
                        .map(item -> new LandingPageView.Item(item.name(), item.size(), item.sha256(), item.platform()))
                        .toList(),
                preview.branding());
    }
}
