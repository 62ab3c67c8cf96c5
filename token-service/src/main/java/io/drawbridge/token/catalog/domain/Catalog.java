package io.drawbridge.token.catalog.domain;

import io.drawbridge.events.ProductBranding;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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

    /** A seller changed how the product looks on the landing page. */
    public Mono<Void> productBranded(String sku, ProductBranding branding, Instant changedAt) {
        return store.saveBranding(sku, branding, changedAt);
    }

    /** How the product looks on the landing page; {@link ProductBranding#NONE} when nothing was set. */
    public Mono<ProductBranding> branding(String sku) {
        return store.branding(sku).defaultIfEmpty(ProductBranding.NONE);
    }

    public Mono<Release> currentRelease(String sku) {
        return store.currentRelease(sku);
    }

    public Flux<CatalogFile> files(Collection<UUID> fileIds) {
        return store.files(fileIds);
    }

    /** The files of the product's current release for {@code platform} (null = no preference). */
    public Mono<Resolution> forProduct(String sku, Platform platform) {
        Wanted wanted = Wanted.product(sku, platform);
        return resolveAll(List.of(wanted)).map(resolved -> resolved.get(wanted));
    }

    /** The token's explicit files, in the order they were given; unavailable if any is gone. */
    public Mono<Resolution> forFiles(List<UUID> fileIds) {
        Wanted wanted = Wanted.files(fileIds);
        return resolveAll(List.of(wanted)).map(resolved -> resolved.get(wanted));
    }

    /** What a token delivers: a product's current release for a platform (null = no preference), or its files. */
    public record Wanted(String sku, Platform platform, List<UUID> fileIds) {

        public Wanted {
            fileIds = fileIds == null ? List.of() : List.copyOf(fileIds);
        }

        public static Wanted product(String sku, Platform platform) {
            return new Wanted(sku, platform, List.of());
        }

        public static Wanted files(List<UUID> fileIds) {
            return new Wanted(null, null, fileIds);
        }
    }

    /**
     * Resolves several tokens' contents together (a poll's worth of download requests): one look-up per product's
     * current release and one for all the files, however many tokens ask.
     */
    public Mono<Map<Wanted, Resolution>> resolveAll(Collection<Wanted> wanted) {
        List<String> skus = wanted.stream()
                .map(Wanted::sku)
                .filter(Objects::nonNull)
                .distinct()
                .toList();
        return Flux.fromIterable(skus)
                .concatMap(sku -> store.currentRelease(sku).map(release -> Map.entry(sku, release)))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .flatMap(releases -> {
                    Map<Wanted, Optional<List<PlatformChoice.Choice>>> choices = new HashMap<>();
                    Set<UUID> fileIds = new LinkedHashSet<>();
                    for (Wanted w : wanted) {
                        if (w.sku() == null) {
                            fileIds.addAll(w.fileIds());
                        } else if (releases.containsKey(w.sku())) {
                            Optional<List<PlatformChoice.Choice>> chosen =
                                    PlatformChoice.choose(releases.get(w.sku()), w.platform());
                            choices.put(w, chosen);
                            chosen.ifPresent(list -> list.forEach(choice -> fileIds.add(choice.fileId())));
                        }
                    }
                    Mono<Map<UUID, CatalogFile>> files = fileIds.isEmpty()
                            ? Mono.just(Map.of())
                            : store.files(fileIds).collectMap(CatalogFile::fileId, Function.identity());
                    return files.map(found -> {
                        Map<Wanted, Resolution> resolved = new HashMap<>();
                        for (Wanted w : wanted) {
                            resolved.put(
                                    w,
                                    w.sku() == null
                                            ? resolveFiles(w.fileIds(), found)
                                            : resolveProduct(w, releases.get(w.sku()), choices.get(w), found));
                        }
                        return resolved;
                    });
                });
    }

    private static Resolution resolveFiles(List<UUID> fileIds, Map<UUID, CatalogFile> found) {
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
    }

    private static Resolution resolveProduct(
            Wanted wanted,
            Release release,
            Optional<List<PlatformChoice.Choice>> choices,
            Map<UUID, CatalogFile> found) {
        if (release == null) {
            return new Resolution.Unavailable("no release of product " + wanted.sku());
        }
        if (choices.isEmpty()) {
            return new Resolution.Unavailable("no build of " + wanted.sku() + " " + release.version() + " for platform "
                    + (wanted.platform() == null ? "(none)" : wanted.platform().wire()));
        }
        List<Resolution.Item> items = new ArrayList<>();
        for (PlatformChoice.Choice choice : choices.get()) {
            CatalogFile file = found.get(choice.fileId());
            if (file == null || !file.deliverable()) {
                return new Resolution.Unavailable("file " + choice.fileId() + " of " + release.sku() + " "
                        + release.version() + " is not available");
            }
            items.add(new Resolution.Item(file, choice.platform()));
        }
        return new Resolution.Resolved(items, items.size() > 1 ? archiveName(release) : null);
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
