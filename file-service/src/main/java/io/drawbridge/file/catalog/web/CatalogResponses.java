package io.drawbridge.file.catalog.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.drawbridge.file.catalog.domain.Platform;
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
            List<ReleaseSummary> releases) {

        static ProductResponse summary(Product product, String currentVersion) {
            return new ProductResponse(product.sku(), product.name(), product.createdAt(), currentVersion, null, null);
        }

        static ProductResponse detail(Product product, Release current, List<Release> releases) {
            return new ProductResponse(
                    product.sku(),
                    product.name(),
                    product.createdAt(),
                    current == null ? null : current.version(),
                    current == null ? null : ReleaseResponse.of(current),
                    releases.stream().map(ReleaseSummary::of).toList());
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
                            platform.code(), list.stream().map(FileResponse::of).toList());
                }
            }
            return new ReleaseResponse(
                    release.id(), release.sku(), release.version(), release.notes(), release.publishedAt(), files);
        }
    }
}
