package io.drawbridge.events.http;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.drawbridge.events.ProductBranding;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What token-service tells the gateway's landing page about a link without redeeming it: {@code GET
 * /internal/v1/tokens/by-hash/{tokenHash}} (snake_case; the nested branding is {@link ProductBranding}'s own
 * shape, the same as on Kafka). One record for both sides, with golden JSON in {@code events}' tests. Within v1 only
 * optional fields are added; readers ignore unknown ones.
 *
 * @param status {@code active}, {@code expired}, {@code revoked} or {@code exhausted}
 * @param productName optional; the page falls back to "Your download"
 * @param emailRequired optional (absent: false); true when redeeming needs the purchase email
 * @param platform optional; the platform the link was issued for
 * @param branding optional; the product's branding, when its seller set one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record LandingPageView(
        @JsonProperty("token_id") UUID tokenId,
        @JsonProperty("status") String status,
        @JsonProperty("expires_at") Instant expiresAt,
        @JsonProperty("downloads_remaining") int downloadsRemaining,
        @JsonProperty("product_name") String productName,
        @JsonProperty("email_required") Boolean emailRequired,
        @JsonProperty("platform") String platform,
        @JsonProperty("items") List<Item> items,
        @JsonProperty("branding") ProductBranding branding) {

    public LandingPageView {
        items = items == null ? List.of() : List.copyOf(items);
        branding = branding == null || branding.isEmpty() ? null : branding;
    }

    /** Whether redeeming needs the purchase email. */
    @JsonIgnore
    public boolean requiresEmail() {
        return Boolean.TRUE.equals(emailRequired);
    }

    /** The branding to show: the product's, or {@link ProductBranding#NONE}. */
    @JsonIgnore
    public ProductBranding brandingOrNone() {
        return branding == null ? ProductBranding.NONE : branding;
    }

    /** One file of the link, as shown on the page; {@code platform} is a release platform's wire value. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Item(
            @JsonProperty("name") String name,
            @JsonProperty("size") long size,
            @JsonProperty("sha256") String sha256,
            @JsonProperty("platform") String platform) {}
}
