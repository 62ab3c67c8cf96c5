package io.drawbridge.gateway.landing;

import static io.drawbridge.gateway.web.HtmlPages.escape;

import io.drawbridge.events.LinkViewed;
import io.drawbridge.events.Platform;
import io.drawbridge.events.ProductBranding;
import io.drawbridge.events.http.LandingPageView;
import io.drawbridge.gateway.redeem.domain.LinkToken;
import io.drawbridge.gateway.web.BuyerText;
import io.drawbridge.gateway.web.ClientAddresses;
import io.drawbridge.gateway.web.DownloadRefused;
import io.drawbridge.gateway.web.HtmlPages;
import io.drawbridge.gateway.web.PublicError;
import io.drawbridge.gateway.web.RefusalResponses;
import io.drawbridge.platform.kafka.EventPublisher;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * {@code GET|HEAD /d/{token}}: the page a customer lands on from the email. It shows what the link holds and
 * offers a Download button (a POST); it reads the link's state and never redeems it, whoever fetches it.
 */
@Controller
class LandingPageController {

    /** The response header that asks the browser for client hints on its next requests. */
    static final String ACCEPT_CH = "Accept-CH";

    private static final Logger log = LoggerFactory.getLogger(LandingPageController.class);
    private static final int MAX_USER_AGENT = 512;

    private final TokenDetailsClient tokens;
    private final HtmlPages pages;
    private final RefusalResponses refusals;
    private final Clock clock;
    private final EventPublisher publisher;
    private final ClientAddresses addresses;

    LandingPageController(
            TokenDetailsClient tokens,
            HtmlPages pages,
            RefusalResponses refusals,
            Clock clock,
            EventPublisher publisher,
            ClientAddresses addresses) {
        this.tokens = tokens;
        this.pages = pages;
        this.refusals = refusals;
        this.clock = clock;
        this.publisher = publisher;
        this.addresses = addresses;
    }

    @GetMapping("/d/{token}")
    Mono<Void> landing(@PathVariable String token, ServerWebExchange exchange) {
        DownloadRefused unknown = DownloadRefused.of(PublicError.INVALID_TOKEN).withStatus(HttpStatus.NOT_FOUND);
        BuyerText text = BuyerText.of(exchange.getRequest());
        return Mono.justOrEmpty(LinkToken.parse(token))
                .switchIfEmpty(Mono.error(unknown))
                .flatMap(link -> tokens.byHash(link.hash())
                        .switchIfEmpty(Mono.error(unknown))
                        .flatMap(view -> {
                            recordView(view, exchange.getRequest());
                            HtmlPages.Look look = pages.look(view.brandingOrNone());
                            DownloadRefused refusal = refusal(view);
                            if (refusal != null) {
                                // The link is known: its refusal page wears the product's look and support address.
                                return refusals.html(exchange, refusal, look);
                            }
                            HttpHeaders headers = exchange.getResponse().getHeaders();
                            // Chromium sends the platform hint unasked; asking keeps it coming if that changes.
                            headers.set(ACCEPT_CH, BuyerPlatform.CLIENT_HINT);
                            // The page differs by platform (preselected build) and language: caches keep them apart.
                            headers.add(HttpHeaders.VARY, HttpHeaders.USER_AGENT);
                            headers.add(HttpHeaders.VARY, BuyerPlatform.CLIENT_HINT);
                            HtmlPages.language(exchange, text);
                            pages.allow(exchange, look);
                            Platform buyerPlatform = BuyerPlatform.of(
                                            exchange.getRequest().getHeaders())
                                    .orElse(null);
                            return write(exchange.getResponse(), render(link, view, text, look, buyerPlatform));
                        }))
                .onErrorResume(DownloadRefused.class, refusal -> refusals.html(exchange, refusal));
    }

    /**
     * Tells the audit trail that the page was fetched (support asks "did they ever open it?"). Sent in the
     * background: a slow broker must not hold the page up, and a lost view is not worth failing the page for.
     */
    private void recordView(LandingPageView details, ServerHttpRequest request) {
        if (details.tokenId() == null) {
            return;
        }
        String userAgent = request.getHeaders().getFirst(HttpHeaders.USER_AGENT);
        if (userAgent != null && userAgent.length() > MAX_USER_AGENT) {
            userAgent = userAgent.substring(0, MAX_USER_AGENT);
        }
        LinkViewed view = new LinkViewed(
                details.tokenId(), request.getMethod().name(), addresses.of(request), userAgent, clock.instant());
        publisher
                .publish(view)
                .subscribe(null, error -> log.warn("Could not record a landing page view: {}", error.toString()));
    }

    /** Why the link cannot be used now, or null when it can. */
    private DownloadRefused refusal(LandingPageView view) {
        String status = Objects.requireNonNullElse(view.status(), "active");
        switch (status) {
            case "revoked" -> {
                return DownloadRefused.of(PublicError.TOKEN_REVOKED);
            }
            case "expired" -> {
                return DownloadRefused.of(PublicError.TOKEN_EXPIRED);
            }
            case "exhausted" -> {
                return DownloadRefused.of(PublicError.USAGE_LIMIT_EXCEEDED);
            }
            default -> {}
        }
        if (view.expiresAt() != null && !view.expiresAt().isAfter(clock.instant())) {
            return DownloadRefused.of(PublicError.TOKEN_EXPIRED);
        }
        if (view.downloadsRemaining() <= 0) {
            return DownloadRefused.of(PublicError.USAGE_LIMIT_EXCEEDED);
        }
        return null;
    }

    private String render(
            LinkToken link, LandingPageView view, BuyerText text, HtmlPages.Look look, Platform buyerPlatform) {
        ProductBranding branding = view.brandingOrNone();
        String title = firstNonBlank(branding.displayName(), view.productName(), text.get("landing.title"));
        StringBuilder body = new StringBuilder();
        body.append("<h1>").append(escape(title)).append("</h1>");
        body.append("<div class=\"meta\">");
        if (view.expiresAt() != null) {
            body.append("<span>")
                    .append(escape(text.get("landing.expires")))
                    .append(" <strong>")
                    .append(escape(text.date(view.expiresAt())))
                    .append("</strong></span>");
        }
        body.append("<span>")
                .append(escape(text.get("landing.downloadsLeft")))
                .append(" <strong>")
                .append(view.downloadsRemaining())
                .append("</strong></span></div>");
        body.append("<table><thead><tr><th>")
                .append(escape(text.get("landing.file")))
                .append("</th><th>")
                .append(escape(text.get("landing.size")))
                .append("</th></tr></thead><tbody>");
        Set<Platform> platforms = new LinkedHashSet<>();
        for (LandingPageView.Item item : view.items()) {
            body.append("<tr><td>").append(escape(item.name()));
            Platform platform = Platform.parse(item.platform()).orElse(null);
            if (platform != null) {
                platforms.add(platform);
                body.append("<span class=\"platform\">")
                        .append(escape(text.get("platform." + platform.wire())))
                        .append("</span>");
            }
            body.append("<div class=\"sha\">SHA-256 ")
                    .append(escape(item.sha256()))
                    .append("</div></td><td class=\"size\" title=\"")
                    .append(escape(text.get("landing.bytes", text.number(item.size()))))
                    .append("\">")
                    .append(escape(text.size(item.size())))
                    .append("</td></tr>");
        }
        body.append("</tbody></table>");
        body.append("<form method=\"post\" action=\"/d/")
                .append(escape(link.value()))
                .append("\">");
        if (platforms.size() > 1) {
            body.append("<label for=\"platform\">")
                    .append(escape(text.get("landing.platform")))
                    .append("</label><select id=\"platform\" name=\"platform\">")
                    .append("<option value=\"\">")
                    .append(escape(text.get("landing.allFiles")))
                    .append("</option>");
            for (Platform platform : platforms) {
                String name = text.get("platform." + platform.wire());
                boolean preselected = platform == buyerPlatform;
                body.append("<option value=\"")
                        .append(escape(platform.wire()))
                        .append(preselected ? "\" selected>" : "\">")
                        .append(escape(preselected ? text.get("landing.suggested", name) : name))
                        .append("</option>");
            }
            body.append("</select>");
        }
        if (view.requiresEmail()) {
            body.append("<label for=\"email\">")
                    .append(escape(text.get("landing.email")))
                    .append("</label>")
                    .append("<input id=\"email\" name=\"email\" type=\"email\" required autocomplete=\"email\">");
        }
        body.append("<div><button type=\"submit\">")
                .append(escape(text.get("landing.download")))
                .append("</button></div></form>");
        if (view.items().size() > 1) {
            body.append("<p class=\"note\">")
                    .append(escape(text.get("landing.zip")))
                    .append("</p>");
        }
        body.append("<p class=\"note\">")
                .append(escape(text.get("landing.compare")))
                .append("</p>");
        return pages.page(text, look, title, body.toString());
    }

    private static String firstNonBlank(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate;
            }
        }
        return "";
    }

    private static Mono<Void> write(ServerHttpResponse response, String html) {
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        response.setStatusCode(HttpStatus.OK);
        response.getHeaders().setContentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8));
        response.getHeaders().setContentLength(bytes.length);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(bytes)));
    }
}
