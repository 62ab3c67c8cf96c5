package io.drawbridge.gateway.landing;

import static io.drawbridge.gateway.web.HtmlPages.escape;

import io.drawbridge.events.LinkViewed;
import io.drawbridge.gateway.redeem.domain.LinkToken;
import io.drawbridge.gateway.web.ClientAddresses;
import io.drawbridge.gateway.web.DownloadRefused;
import io.drawbridge.gateway.web.HtmlPages;
import io.drawbridge.gateway.web.PublicError;
import io.drawbridge.gateway.web.RefusalResponses;
import io.drawbridge.platform.kafka.EventPublisher;
import java.nio.charset.StandardCharsets;
import java.text.NumberFormat;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.Locale;
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

    private static final DateTimeFormatter EXPIRY = DateTimeFormatter.ofPattern(
                    "d MMMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

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
        return Mono.justOrEmpty(LinkToken.parse(token))
                .switchIfEmpty(Mono.error(unknown))
                .flatMap(link -> tokens.byHash(link.hash())
                        .switchIfEmpty(Mono.error(unknown))
                        .doOnNext(details -> recordView(details, exchange.getRequest()))
                        .map(details -> render(
                                link,
                                checked(details),
                                BuyerPlatform.of(exchange.getRequest().getHeaders())
                                        .orElse(null))))
                .flatMap(html -> {
                    // The page differs by the browser's platform (preselected build): caches must keep them apart.
                    exchange.getResponse().getHeaders().add(HttpHeaders.VARY, HttpHeaders.USER_AGENT);
                    exchange.getResponse().getHeaders().add(HttpHeaders.VARY, BuyerPlatform.CLIENT_HINT);
                    return write(exchange.getResponse(), html);
                })
                .onErrorResume(DownloadRefused.class, refusal -> refusals.html(exchange, refusal));
    }

    /**
     * Tells the audit trail that the page was fetched (support asks "did they ever open it?"). Sent in the
     * background: a slow broker must not hold the page up, and a lost view is not worth failing the page for.
     */
    private void recordView(TokenDetails details, ServerHttpRequest request) {
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

    private TokenDetails checked(TokenDetails details) {
        String status = Objects.requireNonNullElse(details.status(), "active");
        switch (status) {
            case "revoked" -> throw DownloadRefused.of(PublicError.TOKEN_REVOKED);
            case "expired" -> throw DownloadRefused.of(PublicError.TOKEN_EXPIRED);
            case "exhausted" -> throw DownloadRefused.of(PublicError.USAGE_LIMIT_EXCEEDED);
            default -> {}
        }
        if (details.expiresAt() != null && !details.expiresAt().isAfter(clock.instant())) {
            throw DownloadRefused.of(PublicError.TOKEN_EXPIRED);
        }
        if (details.downloadsRemaining() <= 0) {
            throw DownloadRefused.of(PublicError.USAGE_LIMIT_EXCEEDED);
        }
        return details;
    }

    private String render(LinkToken link, TokenDetails details, String buyerPlatform) {
        String title = details.productName() == null || details.productName().isBlank()
                ? "Your download"
                : details.productName();
        StringBuilder body = new StringBuilder();
        body.append("<h1>").append(escape(title)).append("</h1>");
        body.append("<div class=\"meta\">");
        if (details.expiresAt() != null) {
            body.append("<span>Link expires <strong>")
                    .append(escape(EXPIRY.format(details.expiresAt())))
                    .append("</strong></span>");
        }
        body.append("<span>Downloads left <strong>")
                .append(details.downloadsRemaining())
                .append("</strong></span></div>");
        body.append("<table><thead><tr><th>File</th><th>Size</th></tr></thead><tbody>");
        Set<String> platforms = new LinkedHashSet<>();
        for (TokenDetails.Item item : details.items()) {
            body.append("<tr><td>").append(escape(item.name()));
            if (item.platform() != null && !item.platform().isBlank()) {
                platforms.add(item.platform());
                body.append("<span class=\"platform\">")
                        .append(escape(item.platform()))
                        .append("</span>");
            }
            body.append("<div class=\"sha\">SHA-256 ")
                    .append(escape(item.sha256()))
                    .append("</div></td><td class=\"size\" title=\"")
                    .append(NumberFormat.getIntegerInstance(Locale.ENGLISH).format(item.size()))
                    .append(" bytes\">")
                    .append(escape(HtmlPages.humanSize(item.size())))
                    .append("</td></tr>");
        }
        body.append("</tbody></table>");
        body.append("<form method=\"post\" action=\"/d/")
                .append(escape(link.value()))
                .append("\">");
        if (platforms.size() > 1) {
            body.append("<label for=\"platform\">Platform</label><select id=\"platform\" name=\"platform\">")
                    .append("<option value=\"\">All files</option>");
            for (String platform : platforms) {
                body.append("<option value=\"")
                        .append(escape(platform))
                        .append(platform.equals(buyerPlatform) ? "\" selected>" : "\">")
                        .append(escape(platform))
                        .append("</option>");
            }
            body.append("</select>");
        }
        if (details.requiresEmail()) {
            body.append("<label for=\"email\">Email address used for the purchase</label>")
                    .append("<input id=\"email\" name=\"email\" type=\"email\" required autocomplete=\"email\">");
        }
        body.append("<div><button type=\"submit\">Download</button></div></form>");
        if (details.items().size() > 1) {
            body.append("<p class=\"note\">Several files are delivered as one ZIP archive.</p>");
        }
        body.append("<p class=\"note\">Compare the SHA-256 of what you downloaded with the one shown here.</p>");
        return pages.page(title, body.toString());
    }

    private static Mono<Void> write(ServerHttpResponse response, String html) {
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        response.setStatusCode(HttpStatus.OK);
        response.getHeaders().setContentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8));
        response.getHeaders().setContentLength(bytes.length);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(bytes)));
    }
}
