package io.drawbridge.token.catalog.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * token-service's view of file-service's catalog, kept from its events so that redemption never calls another
 * service. A token for a product resolves here, at redemption time, to the product's current release.
 */
@Service
public class Catalog {

    private final CatalogStore store;

    Catalog(CatalogStore store) {
        this.store = store;
    }

    public Mono<Void> fileStored(CatalogFile file) {
        return store.upsertFile(file);
    }

    public Mono<Void> fileDeleted(UUID fileId, Instant deletedAt) {
        return store.markDeleted(fileId, deletedAt);
    }

    public Mono<Void> releasePublished(Release release) {
        return store.saveRelease(release);
    }

    public Mono<Release> currentRelease(String sku) {
        return store.currentRelease(sku);
    }

    public Flux<CatalogFile> files(Collection<UUID> fileIds) {
        return store.files(fileIds);
    }

    /** The files of the product's current release for {@code platform} (null = no preference). */
    public Mono<Resolution> forProduct(String sku, Platform platform) {
        return store.currentRelease(sku)
                .flatMap(release -> PlatformChoice.choose(release, platform)
                        .map(choices -> resolve(release, choices))
                        .orElseGet(() ->
                                Mono.just(new Resolution.Unavailable("no build of " + sku + " " + release.version()
                                        + " for platform " + (platform == null ? "(none)" : platform.wire())))))
                .defaultIfEmpty(new Resolution.Unavailable("no release of product " + sku));
    }

    /** The token's explicit files, in the order they were given; unavailable if any is gone. */
    public Mono<Resolution> forFiles(List<UUID> fileIds) {
        return store.files(fileIds)
                .collectMap(CatalogFile::fileId, Function.identity())
                .map(found -> {
                    List<Resolution.Item> items = new ArrayList<>();
                    for (UUID id : fileIds) {
                        CatalogFile file = found.get(id);
                        if (file == null || !file.deliverable()) {
                            return new Resolution.Unavailable("file " + id + " is not available");
                        }
                        items.add(new Resolution.Item(file, null));
                    }
                    return items.isEmpty()
                            ? new Resolution.Unavailable("no files")
                            : new Resolution.Resolved(items, items.size() > 1 ? "download.zip" : null);
                });
    }

    private Mono<Resolution> resolve(Release release, List<PlatformChoice.Choice> choices) {
        List<UUID> ids = choices.stream().map(PlatformChoice.Choice::fileId).toList();
        return store.files(ids)
                .collectMap(CatalogFile::fileId, Function.identity())
                .map(found -> {
                    List<Resolution.Item> items = new ArrayList<>();
                    for (PlatformChoice.Choice choice : choices) {
                        CatalogFile file = found.get(choice.fileId());
                        if (file == null || !file.deliverable()) {
                            return new Resolution.Unavailable("file " + choice.fileId() + " of " + release.sku() + " "
                                    + release.version() + " is not available");
                        }
                        items.add(new Resolution.Item(file, choice.platform()));
                    }
                    return new Resolution.Resolved(items, items.size() > 1 ? archiveName(release) : null);
                });
    }

    /** {@code <product-name>-<version>.zip}, safe as a file name. */
    static String archiveName(Release release) {
        String base = (release.productName() + "-" + release.version())
                .replaceAll("[^A-Za-z0-9._-]+", "-")
                .replaceAll("-{2,}", "-")
                .replaceAll("^[-.]+|-+$", "");
        return (base.isEmpty() ? release.sku() : base) + ".zip";
    }

    /** Files by id, for checks at issuing time. */
    public Mono<Map<UUID, CatalogFile>> filesById(Collection<UUID> fileIds) {
        return store.files(fileIds).collect(Collectors.toMap(CatalogFile::fileId, Function.identity()));
    }
}
