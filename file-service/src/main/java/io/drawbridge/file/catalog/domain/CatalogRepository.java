package io.drawbridge.file.catalog.domain;

import io.drawbridge.events.Platform;
import io.drawbridge.file.shared.Page;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Where products and releases live. */
public interface CatalogRepository {

    /** Inserts the product; a product with that sku already there gives a {@code product_exists} rejection. */
    Mono<Void> insertProduct(Product product);

    Mono<Product> findProduct(String sku);

    /** Replaces the product's branding; empty when there is no such product. */
    Mono<Product> updateBranding(String sku, io.drawbridge.events.ProductBranding branding);

    Mono<Page<Product>> products(int page, int size);

    /** Inserts a release and its files and makes it the product's current one; duplicate version: rejection. */
    Mono<Void> insertRelease(
            UUID id,
            String sku,
            String version,
            String notes,
            java.time.Instant publishedAt,
            Map<Platform, List<UUID>> files);

    Mono<Release> findRelease(UUID id);

    Mono<Release> findRelease(String sku, String version);

    /** Releases of a product, newest first (files not loaded). */
    Flux<Release> releases(String sku);
}
