package io.drawbridge.gateway.redeem.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.drawbridge.events.DownloadGranted;
import io.drawbridge.events.GrantedItem;
import io.drawbridge.gateway.grant.domain.GrantLinks;
import io.drawbridge.gateway.redeem.domain.LinkToken;
import io.drawbridge.gateway.redeem.domain.RedeemRequest;
import io.drawbridge.gateway.redeem.messaging.Redemptions;
import io.drawbridge.gateway.web.ClientAddresses;
import io.drawbridge.gateway.web.DownloadRefused;
import io.drawbridge.gateway.web.PublicError;
import io.drawbridge.gateway.web.RefusalResponses;
import io.drawbridge.platform.web.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Redeems a link: the landing page's Download button ({@code POST /d/{token}}, answered 303 to the signed grant)
 * and the same for scripts ({@code POST /api/v1/downloads}, answered with JSON). Either way one
 * DownloadRequested goes to token-service and the gateway waits for its decision.
 */
@RestController
class RedeemController {

    private static final Pattern PLATFORM = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final int MAX_EMAIL = 320;

    private final Redemptions redemptions;
    private final GrantLinks links;
    private final ClientAddresses addresses;
    private final RefusalResponses refusals;
    private final MeterRegistry meters;

    RedeemController(
            Redemptions redemptions,
            GrantLinks links,
            ClientAddresses addresses,
            RefusalResponses refusals,
            MeterRegistry meters) {
        this.redemptions = redemptions;
        this.links = links;
        this.addresses = addresses;
        this.refusals = refusals;
        this.meters = meters;
    }

    @PostMapping(path = "/d/{token}")
    Mono<Void> redeemFromPage(@PathVariable String token, ServerWebExchange exchange) {
        String clientIp = addresses.of(exchange.getRequest());
        return exchange.getFormData()
                .flatMap(form -> redemptions.redeem(request(token, form, clientIp, exchange.getRequest())))
                .flatMap(granted -> {
                    exchange.getResponse().setStatusCode(HttpStatus.SEE_OTHER);
                    exchange.getResponse().getHeaders().setLocation(URI.create(links.path(granted, clientIp)));
                    return exchange.getResponse().setComplete();
                })
                .onErrorResume(DownloadRefused.class, refusal -> refusals.html(exchange, refusal));
    }

    @PostMapping(
            path = "/api/v1/downloads",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<DownloadLink> redeemFromApi(@Valid @RequestBody DownloadLinkRequest body, ServerHttpRequest http) {
        String clientIp = addresses.of(http);
        LinkToken token = LinkToken.parse(body.downloadToken())
                .orElseThrow(() -> problem(DownloadRefused.of(PublicError.INVALID_TOKEN)));

        RedeemRequest request = new RedeemRequest(
                token,
                platform(body.platform()),
                body.customerEmail(),
                clientIp,
                http.getHeaders().getFirst(HttpHeaders.USER_AGENT));
        return redemptions
                .redeem(request)
                .map(granted -> link(granted, clientIp))
                .onErrorMap(DownloadRefused.class, this::problem);
    }

    private RedeemRequest request(
            String rawToken, MultiValueMap<String, String> form, String clientIp, ServerHttpRequest http) {
        LinkToken token = LinkToken.parse(rawToken).orElseThrow(() -> DownloadRefused.of(PublicError.INVALID_TOKEN));
        String email = form.getFirst("email");
        if (email != null && email.length() > MAX_EMAIL) {
            throw DownloadRefused.of(PublicError.EMAIL_MISMATCH);
        }
        return new RedeemRequest(
                token,
                platform(form.getFirst("platform")),
                email,
                clientIp,
                http.getHeaders().getFirst(HttpHeaders.USER_AGENT));
    }

    private DownloadLink link(DownloadGranted granted, String clientIp) {
        boolean single = granted.items().size() == 1;
        GrantedItem item = single ? granted.items().get(0) : null;
        return new DownloadLink(
                links.url(granted, clientIp),
                links.fileName(granted.items(), granted.archiveName()),
                single ? item.size() : null,
                single ? item.sha256() : null,
                granted.expiresAt(),
                granted.downloadsRemaining());
    }

    private static String platform(String value) {
        return value != null && PLATFORM.matcher(value).matches() ? value : null;
    }

    private ProblemException problem(DownloadRefused refusal) {
        RefusalResponses.countDenial(meters, refusal);
        ProblemException problem = new ProblemException(
                refusal.status(),
                refusal.error().code(),
                refusal.detail().orElse(refusal.error().advice()));
        return refusal.retryAfter().map(problem::retryAfter).orElse(problem);
    }

    /** The JSON API's request. */
    record DownloadLinkRequest(
            @JsonProperty("download_token") @NotBlank @Size(max = 200) String downloadToken,
            @JsonProperty("customer_email") @Size(max = MAX_EMAIL) String customerEmail,
            @JsonProperty("platform") @Size(max = 32) String platform) {}

    /**
     * The JSON API's answer.
     *
     * @param fileSize and {@code sha256} are null for a ZIP of several files (its size is known only once written)
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record DownloadLink(
            @JsonProperty("download_url") String downloadUrl,
            @JsonProperty("filename") String filename,
            @JsonProperty("file_size") Long fileSize,
            @JsonProperty("sha256") String sha256,
            @JsonProperty("expires_at") Instant expiresAt,
            @JsonProperty("downloads_remaining") int downloadsRemaining) {}
}
