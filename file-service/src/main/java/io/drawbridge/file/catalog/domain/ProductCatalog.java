package io.drawbridge.file.catalog.domain;

import io.drawbridge.events.Platform;
import io.drawbridge.events.ProductBranding;
import io.drawbridge.events.ProductBrandingChanged;
import io.drawbridge.events.ReleasePublished;
import io.drawbridge.file.files.domain.FileRepository;
import io.drawbridge.file.files.domain.StoredFile;
import io.drawbridge.file.shared.Page;
import io.drawbridge.file.shared.Rejection;
import io.drawbridge.file.shared.Rejection.Kind;
import io.drawbridge.platform.outbox.Outbox;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Products and their releases. Publishing a release makes it the product's current one and announces it
 * (ReleasePublished), so token-service can deliver the right files for a sku.
 */
@Service
public class ProductCatalog {

    static final Pattern SKU = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final int MAX_VERSION = 64;
    static final int MAX_NAME = 200;
    static final int MAX_NOTES = 20_000;
    static final int MAX_FILES_PER_PLATFORM = 50;

    private final CatalogRepository catalog;
    private final FileRepository files;
    private final Outbox outbox;
    private final TransactionalOperator tx;
    private final Clock clock;

    public ProductCatalog(
            CatalogRepository catalog, FileRepository files, Outbox outbox, TransactionalOperator tx, Clock clock) {
        this.catalog = catalog;
        this.files = files;
        this.outbox = outbox;
        this.tx = tx;
        this.clock = clock;
    }

    public Mono<Product> create(String sku, String name) {
        if (sku == null || !SKU.matcher(sku).matches()) {
            return Mono.error(
                    invalid("sku must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit."));
        }
        if (name == null || name.isBlank() || name.strip().length() > MAX_NAME) {
            return Mono.error(invalid("name must be 1-" + MAX_NAME + " characters."));
        }
        Product product = new Product(sku, printable(name.strip()), null, now());
        return catalog.insertProduct(product).thenReturn(product);
    }

    /**
     * Sets how the product presents itself on the buyer's page (the whole branding: an absent part is unset), in one
     * transaction with ProductBrandingChanged, which carries it to token-service's catalog and so to the landing page.
     */
    public Mono<Product> brand(String sku, ProductBranding requested) {
        ProductBranding branding;
        try {
            branding = BrandingRules.checked(requested);
        } catch (Rejection rejection) {
            return Mono.error(rejection);
        }
        return tx.transactional(catalog.updateBranding(sku, branding)
                .switchIfEmpty(Mono.error(() -> productNotFound(sku)))
                .flatMap(product -> outbox.append(new ProductBrandingChanged(sku, branding, now()))
                        .thenReturn(product)));
    }

    public Mono<Product> find(String sku) {
        return catalog.findProduct(sku).switchIfEmpty(Mono.error(() -> productNotFound(sku)));
    }

    public Mono<Page<Product>> list(int page, int size) {
        return catalog.products(page, size);
    }

    public Flux<Release> releases(String sku) {
        return find(sku).flatMapMany(product -> catalog.releases(sku));
    }

    public Mono<Release> release(String sku, String version) {
        return find(sku)
                .then(catalog.findRelease(sku, version))
                .switchIfEmpty(Mono.error(() -> new Rejection(
                        Kind.NOT_FOUND, "release_not_found", "Product " + sku + " has no release " + version + ".")));
    }

    /** The product's current release, or empty when none was published yet. */
    public Mono<Release> currentRelease(Product product) {
        return product.currentReleaseId() == null ? Mono.empty() : catalog.findRelease(product.currentReleaseId());
    }

    /**
     * Publishes a release: every file must exist and be available (not quarantined); the version must be new for
     * the product. The release becomes the product's current one, in one transaction with ReleasePublished.
     *
     * @param files platform code (windows, macos, linux, any) to the ids of the files delivered for it
     */
    public Mono<Release> publish(String sku, String version, String notes, Map<String, List<UUID>> files) {
        if (version == null || version.isBlank() || version.strip().length() > MAX_VERSION) {
            return Mono.error(invalid("version must be 1-" + MAX_VERSION + " characters."));
        }
        if (notes != null && notes.length() > MAX_NOTES) {
            return Mono.error(invalid("notes must be at most " + MAX_NOTES + " characters."));
        }
        Map<Platform, List<UUID>> byPlatform;
        try {
            byPlatform = platforms(files);
        } catch (Rejection rejection) {
            return Mono.error(rejection);
        }
        String cleanVersion = printable(version.strip());
        UUID releaseId = UUID.randomUUID();
        Instant publishedAt = now();
        return find(sku).flatMap(product -> checkFiles(byPlatform)
                .then(tx.transactional(catalog.insertRelease(
                                releaseId, sku, cleanVersion, notes, publishedAt, byPlatform)
                        .then(outbox.append(new ReleasePublished(
                                sku, product.name(), releaseId, cleanVersion, notes, codes(byPlatform), publishedAt)))))
                .then(catalog.findRelease(releaseId)));
    }

    private Mono<Void> checkFiles(Map<Platform, List<UUID>> byPlatform) {
        Set<UUID> ids = new HashSet<>();
        byPlatform.values().forEach(ids::addAll);
        return Flux.fromIterable(ids)
                .concatMap(id -> files.find(id)
                        .switchIfEmpty(Mono.error(() -> new Rejection(
                                Kind.UNPROCESSABLE, "unknown_file", "There is no stored file " + id + ".")))
                        .flatMap(file -> file.available()
                                ? Mono.just(file)
                                : Mono.<StoredFile>error(new Rejection(
                                        Kind.UNPROCESSABLE,
                                        "file_quarantined",
                                        "File " + id + " is quarantined (" + file.scanSignature()
                                                + ") and cannot be released."))))
                .then();
    }

    static Map<Platform, List<UUID>> platforms(Map<String, List<UUID>> files) {
        if (files == null || files.isEmpty()) {
            throw invalid("files must name at least one platform: windows, macos, linux or any.");
        }
        Map<Platform, List<UUID>> byPlatform = new EnumMap<>(Platform.class);
        files.forEach((code, ids) -> {
            Platform platform = Platform.parse(code)
                    .orElseThrow(() -> invalid("Unknown platform '" + code + "': use windows, macos, linux or any."));
            if (ids == null || ids.isEmpty() || ids.size() > MAX_FILES_PER_PLATFORM) {
                throw invalid("Platform " + code + " needs 1-" + MAX_FILES_PER_PLATFORM + " file ids.");
            }
            if (ids.stream().anyMatch(java.util.Objects::isNull) || new HashSet<>(ids).size() != ids.size()) {
                throw invalid("Platform " + code + " lists a file id twice or a null id.");
            }
            byPlatform.put(platform, List.copyOf(ids));
        });
        return byPlatform;
    }

    static Map<String, List<UUID>> codes(Map<Platform, List<UUID>> byPlatform) {
        Map<String, List<UUID>> codes = new LinkedHashMap<>();
        byPlatform.forEach((platform, ids) -> codes.put(platform.wire(), new ArrayList<>(ids)));
        return codes;
    }

    private static String printable(String text) {
        StringBuilder clean = new StringBuilder(text.length());
        text.codePoints().filter(cp -> !Character.isISOControl(cp)).forEach(clean::appendCodePoint);
        return clean.toString();
    }

    static Rejection invalid(String detail) {
        return new Rejection(Kind.INVALID, "validation_failed", detail);
    }

    static Rejection productNotFound(String sku) {
        return new Rejection(Kind.NOT_FOUND, "product_not_found", "There is no product " + sku + ".");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
