package io.drawbridge.file.catalog.domain;

import io.drawbridge.events.ProductBranding;
import java.time.Instant;
import java.util.UUID;

/**
 * Something a seller sells; links are issued per sku, and deliver its current release.
 *
 * @param branding how the buyer's page presents it; {@link ProductBranding#NONE} when the seller set nothing
 */
public record Product(String sku, String name, UUID currentReleaseId, Instant createdAt, ProductBranding branding) {

    public Product {
        branding = branding == null ? ProductBranding.NONE : branding;
    }

    public Product(String sku, String name, UUID currentReleaseId, Instant createdAt) {
        this(sku, name, currentReleaseId, createdAt, ProductBranding.NONE);
    }
}
