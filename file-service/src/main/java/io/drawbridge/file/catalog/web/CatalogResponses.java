package io.drawbridge.file.catalog.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.drawbridge.events.Platform;
import io.drawbridge.events.ProductBranding;
import io.drawbridge.file.catalog.domain.Product;
import io.drawbridge.file.catalog.domain.Release;
import io.drawbridge.file.files.web.FileResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** Products and releases as the admin API shows them (snake_case). */
final class CatalogResponses {

    private CatalogResponses() {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ProductResponse(
            String sku,
            String name,
            Instant createdAt,
            String currentVersion,
            ReleaseResponse currentRelease,
            List<ReleaseSummary> releases,
            BrandingBody branding) {

        static ProductResponse summary(Product product, String currentVersion) {
            return new ProductResponse(
                    product.sku(),
                    product.name(),
                    product.createdAt(),
                    currentVersion,
                    null,
                    null,
                    BrandingBody.of(product.branding()));
        }

        static ProductResponse detail(Product product, Release current, List<Release> releases) {
            return new ProductResponse(
                    product.sku(),
                    product.name(),
                    product.createdAt(),
                    current == null ? null : current.version(),
                    current == null ? null : ReleaseResponse.of(current),
                    releases.stream().map(ReleaseSummary::of).toList(),
                    BrandingBody.of(product.branding()));
        }
    }

    /**
     * A product's branding in the admin API, request and answer: {@code display_name}, {@code logo_url} (https),
     * {@code accent_colour} ({@code #rrggbb}, white text on it at WCAG AA contrast), {@code support_email}. Answers
     * leave it out when nothing is set.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record BrandingBody(String displayName, String logoUrl, String accentColour, String supportEmail) {

        static BrandingBody of(ProductBranding branding) {
            return branding.isEmpty()
                    ? null
                    : new BrandingBody(
                            branding.displayName(),
                            branding.logoUrl(),
                            branding.accentColour(),
                            branding.supportEmail());
        }

        ProductBranding toBranding() {
            return new ProductBranding(displayName, logoUrl, accentColour, supportEmail);
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ReleaseSummary(UUID id, String version, Instant publishedAt) {
        static ReleaseSummary of(Release release) {
            return new ReleaseSummary(release.id(), release.version(), release.publishedAt());
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ReleaseResponse(
            UUID id,
            String sku,
            String version,
            String notes,
            Instant publishedAt,
            Map<String, List<FileResponse>> files) {

        static ReleaseResponse of(Release release) {
            Map<String, List<FileResponse>> files = new LinkedHashMap<>();
            for (Platform platform : Platform.values()) {
                var list = release.files().get(platform);
                if (list != null) {
                    files.put(
                            platform.wire(), list.stream().map(FileResponse::of).toList());
                }
            }
            return new ReleaseResponse(
                    release.id(), release.sku(), release.version(), release.notes(), release.publishedAt(), files);
        }
    }
}
