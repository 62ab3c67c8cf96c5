package io.drawbridge.file.catalog.persistence;

import io.drawbridge.events.Platform;
import io.drawbridge.events.ProductBranding;
import io.drawbridge.file.catalog.domain.CatalogRepository;
import io.drawbridge.file.catalog.domain.Product;
import io.drawbridge.file.catalog.domain.Release;
import io.drawbridge.file.files.domain.FileName;
import io.drawbridge.file.files.domain.ScanStatus;
import io.drawbridge.file.files.domain.StoredFile;
import io.drawbridge.file.shared.Page;
import io.drawbridge.file.shared.Rejection;
import io.drawbridge.file.shared.Rejection.Kind;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
class R2dbcCatalogRepository implements CatalogRepository {

    private static final String PRODUCT_COLUMNS =
            "sku, name, current_release_id, created_at, display_name, logo_url, accent_colour, support_email";
    private static final String RELEASE_COLUMNS = "id, sku, version, notes, published_at";

    private final DatabaseClient db;

    R2dbcCatalogRepository(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public Mono<Void> insertProduct(Product product) {
        return db.sql("insert into product (sku, name, created_at) values (:sku, :name, :createdAt)")
                .bind("sku", product.sku())
                .bind("name", product.name())
                .bind("createdAt", product.createdAt())
                .then()
                .onErrorMap(
                        DuplicateKeyException.class,
                        e -> new Rejection(
                                Kind.CONFLICT, "product_exists", "Product " + product.sku() + " already exists."));
    }

    @Override
    public Mono<Product> findProduct(String sku) {
        return db.sql("select " + PRODUCT_COLUMNS + " from product where sku = :sku")
                .bind("sku", sku)
                .map(R2dbcCatalogRepository::product)
                .one();
    }

    @Override
    public Mono<Product> updateBranding(String sku, ProductBranding branding) {
        var update = db.sql("update product set display_name = :displayName, logo_url = :logoUrl,"
                        + " accent_colour = :accentColour, support_email = :supportEmail where sku = :sku"
                        + " returning " + PRODUCT_COLUMNS)
                .bind("sku", sku);
        update = bindText(update, "displayName", branding.displayName());
        update = bindText(update, "logoUrl", branding.logoUrl());
        update = bindText(update, "accentColour", branding.accentColour());
        update = bindText(update, "supportEmail", branding.supportEmail());
        return update.map(R2dbcCatalogRepository::product).one();
    }

    private static DatabaseClient.GenericExecuteSpec bindText(
            DatabaseClient.GenericExecuteSpec spec, String name, String value) {
        return value == null ? spec.bindNull(name, String.class) : spec.bind(name, value);
    }

    @Override
    public Mono<Page<Product>> products(int page, int size) {
        var items = db.sql("select " + PRODUCT_COLUMNS + " from product order by sku limit :limit offset :offset")
                .bind("limit", size)
                .bind("offset", (long) page * size)
                .map(R2dbcCatalogRepository::product)
                .all()
                .collectList();
        var total = db.sql("select count(*) as total from product")
                .map(row -> row.get("total", Long.class))
                .one();
        return Mono.zip(items, total, (list, count) -> new Page<>(list, page, size, count));
    }

    @Override
    public Mono<Void> insertRelease(
            UUID id, String sku, String version, String notes, Instant publishedAt, Map<Platform, List<UUID>> files) {
        var release = db.sql("insert into release (" + RELEASE_COLUMNS + ") "
                        + "values (:id, :sku, :version, :notes, :publishedAt)")
                .bind("id", id)
                .bind("sku", sku)
                .bind("version", version)
                .bind("publishedAt", publishedAt);
        release = notes == null ? release.bindNull("notes", String.class) : release.bind("notes", notes);
        List<Mono<Void>> links = new ArrayList<>();
        files.forEach((platform, ids) -> {
            for (int position = 0; position < ids.size(); position++) {
                links.add(db.sql("insert into release_file (release_id, platform, position, file_id) "
                                + "values (:release, :platform, :position, :file)")
                        .bind("release", id)
                        .bind("platform", platform.wire())
                        .bind("position", position)
                        .bind("file", ids.get(position))
                        .then());
            }
        });
        Mono<Void> current = db.sql("update product set current_release_id = :id where sku = :sku")
                .bind("id", id)
                .bind("sku", sku)
                .then();
        return release.then()
                .onErrorMap(
                        DuplicateKeyException.class,
                        e -> new Rejection(
                                Kind.CONFLICT,
                                "version_exists",
                                "Product " + sku + " already has a release " + version + "."))
                .then(Flux.concat(links)
                        .then()
                        .onErrorMap(
                                e -> e instanceof DataIntegrityViolationException,
                                e -> new Rejection(
                                        Kind.UNPROCESSABLE,
                                        "unknown_file",
                                        "A file of the release was deleted meanwhile; nothing was published.")))
                .then(current);
    }

    @Override
    public Mono<Release> findRelease(UUID id) {
        return db.sql("select " + RELEASE_COLUMNS + " from release where id = :id")
                .bind("id", id)
                .map(R2dbcCatalogRepository::release)
                .one()
                .flatMap(this::withFiles);
    }

    @Override
    public Mono<Release> findRelease(String sku, String version) {
        return db.sql("select " + RELEASE_COLUMNS + " from release where sku = :sku and version = :version")
                .bind("sku", sku)
                .bind("version", version)
                .map(R2dbcCatalogRepository::release)
                .one()
                .flatMap(this::withFiles);
    }

    @Override
    public Flux<Release> releases(String sku) {
        return db.sql("select " + RELEASE_COLUMNS + " from release where sku = :sku order by published_at desc, id")
                .bind("sku", sku)
                .map(R2dbcCatalogRepository::release)
                .all();
    }

    private Mono<Release> withFiles(Release release) {
        return db.sql("select rf.platform, f.id, f.object_key, f.name, f.size, f.sha256, f.crc32, f.content_type, "
                        + "f.scan_status, f.scan_signature, f.created_at "
                        + "from release_file rf join stored_file f on f.id = rf.file_id "
                        + "where rf.release_id = :id order by rf.platform, rf.position")
                .bind("id", release.id())
                .map(row -> Map.entry(
                        Platform.parse(row.get("platform", String.class)).orElseThrow(), file(row)))
                .all()
                .collect(
                        () -> new EnumMap<Platform, List<StoredFile>>(Platform.class),
                        (map, entry) -> map.computeIfAbsent(entry.getKey(), p -> new ArrayList<>())
                                .add(entry.getValue()))
                .map(files -> new Release(
                        release.id(), release.sku(), release.version(), release.notes(), release.publishedAt(), files));
    }

    private static Product product(Readable row) {
        return new Product(
                row.get("sku", String.class),
                row.get("name", String.class),
                row.get("current_release_id", UUID.class),
                row.get("created_at", OffsetDateTime.class).toInstant(),
                new ProductBranding(
                        row.get("display_name", String.class),
                        row.get("logo_url", String.class),
                        row.get("accent_colour", String.class),
                        row.get("support_email", String.class)));
    }

    private static Release release(Readable row) {
        return new Release(
                row.get("id", UUID.class),
                row.get("sku", String.class),
                row.get("version", String.class),
                row.get("notes", String.class),
                row.get("published_at", OffsetDateTime.class).toInstant(),
                Map.of());
    }

    private static StoredFile file(Readable row) {
        return new StoredFile(
                row.get("id", UUID.class),
                row.get("object_key", String.class),
                new FileName(row.get("name", String.class)),
                row.get("size", Long.class),
                row.get("sha256", String.class),
                row.get("crc32", String.class),
                row.get("content_type", String.class),
                ScanStatus.fromCode(row.get("scan_status", String.class)),
                row.get("scan_signature", String.class),
                row.get("created_at", OffsetDateTime.class).toInstant());
    }
}
