package io.drawbridge.token.catalog.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Where the catalog read model is kept. */
public interface CatalogStore {

    /** Inserts or refreshes a file; a file once deleted stays deleted. */
    Mono<Void> upsertFile(CatalogFile file);

    Mono<Void> markDeleted(UUID fileId, Instant deletedAt);

    /** Stores a release (once) and makes it the product's current release unless a later one is current. */
    Mono<Void> saveRelease(Release release);

    /** The product's current release; empty for an unknown sku. */
    Mono<Release> currentRelease(String sku);

    /** Keeps the product's branding unless a newer one ({@code changedAt}) is already stored. */
    Mono<Void> saveBranding(String sku, io.drawbridge.events.ProductBranding branding, Instant changedAt);

    /** The product's branding; empty when its seller never set one. */
    Mono<io.drawbridge.events.ProductBranding> branding(String sku);

    Flux<CatalogFile> files(Collection<UUID> fileIds);
}
