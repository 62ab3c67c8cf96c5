package io.drawbridge.gateway.landing;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What token-service tells the landing page about a link, without redeeming it
 * ({@code GET /internal/v1/tokens/by-hash/{tokenHash}}). camelCase names are accepted too.
 *
 * @param status {@code active}, {@code expired}, {@code revoked} or {@code exhausted}
 * @param productName optional; the page falls back to "Your download"
 * @param emailRequired optional; true when redeeming needs the purchase email
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record TokenDetails(
        @JsonProperty("token_id") @JsonAlias("tokenId") UUID tokenId,
        @JsonProperty("status") String status,
        @JsonProperty("expires_at") @JsonAlias("expiresAt") Instant expiresAt,
        @JsonProperty("downloads_remaining") @JsonAlias("downloadsRemaining") int downloadsRemaining,
        @JsonProperty("product_name") @JsonAlias("productName") String productName,
        @JsonProperty("email_required") @JsonAlias("emailRequired") Boolean emailRequired,
        @JsonProperty("items") List<Item> items) {

    TokenDetails {
        items = items == null ? List.of() : List.copyOf(items);
    }

    boolean requiresEmail() {
        return Boolean.TRUE.equals(emailRequired);
    }

    /** One file of the link, as shown on the page. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Item(
            @JsonProperty("name") String name,
            @JsonProperty("size") long size,
            @JsonProperty("sha256") String sha256,
            @JsonProperty("platform") String platform) {}
}
