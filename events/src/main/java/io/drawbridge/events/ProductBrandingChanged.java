package io.drawbridge.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A seller changed how a product presents itself to buyers (the whole branding, not a patch: an absent part is
 * unset). On the releases topic, keyed by sku like the product's releases, so token-service's catalog read model
 * sees a product's changes in order and hands the branding to the landing page.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProductBrandingChanged(String sku, ProductBranding branding, Instant changedAt) implements Event {

    public ProductBrandingChanged {
        branding = branding == null ? ProductBranding.NONE : branding;
    }

    @Override
    public String key() {
        return sku;
    }
}
