package io.drawbridge.token.catalog.persistence;

import io.drawbridge.events.ProductBranding;
import io.drawbridge.token.catalog.domain.CatalogFile;
import io.drawbridge.token.catalog.domain.CatalogStore;
import io.drawbridge.token.catalog.domain.Release;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The catalog read model in PostgreSQL. */
@Repository
class R2dbcCatalogStore implements CatalogStore {

    private final DatabaseClient db;

    R2dbcCatalogStore(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public Mono<Void> upsertFile(CatalogFile file) {
        GenericExecuteSpec spec = db.sql("INSERT INTO catalog_file (file_id, object_key, name, size, sha256,"
                        + " content_type, scan_status, stored_at, crc32) VALUES (:id, :objectKey, :name, :size,"
                        + " :sha256, :contentType, :scanStatus, :storedAt, :crc32) ON CONFLICT (file_id) DO UPDATE SET"
                        + " object_key = excluded.object_key, name = excluded.name, size = excluded.size,"
                        + " sha256 = excluded.sha256, content_type = excluded.content_type,"
                        + " scan_status = excluded.scan_status, stored_at = excluded.stored_at,"
                        + " crc32 = excluded.crc32")
                .bind("id", file.fileId())
                .bind("objectKey", file.objectKey())
                .bind("name", file.name())
                .bind("size", file.size())
                .bind("sha256", file.sha256())
                .bind("contentType", file.contentType())
                .bind("storedAt", file.storedAt());
        spec = file.scanStatus() == null
                ? spec.bindNull("scanStatus", String.class)
                : spec.bind("scanStatus", file.scanStatus());
        spec = file.crc32() == null ? spec.bindNull("crc32", String.class) : spec.bind("crc32", file.crc32());
        return spec.then();
    }

    @Override
    public Mono<Void> markDeleted(UUID fileId, Instant deletedAt) {
        return db.sql("UPDATE catalog_file SET deleted_at = :at WHERE file_id = :id AND deleted_at IS NULL")
                .bind("id", fileId)
                .bind("at", deletedAt)
                .then();
    }

    @Override
    public Mono<Void> saveRelease(Release release) {
        GenericExecuteSpec insert = db.sql("INSERT INTO catalog_release (release_id, sku, product_name, version,"
                        + " notes, published_at) VALUES (:id, :sku, :name, :version, :notes, :publishedAt)"
                        + " ON CONFLICT (release_id) DO NOTHING")
                .bind("id", release.releaseId())
                .bind("sku", release.sku())
                .bind("name", release.productName() == null ? release.sku() : release.productName())
                .bind("version", release.version() == null ? "" : release.version())
                .bind("publishedAt", release.publishedAt());
        insert = release.notes() == null
                ? insert.bindNull("notes", String.class)
                : insert.bind("notes", release.notes());
        return insert.fetch().rowsUpdated().flatMap(inserted -> {
            if (inserted == 0) {
                return Mono.empty();
            }
            List<Mono<Long>> files = new ArrayList<>();
            release.files().forEach((platform, ids) -> {
                for (int position = 0; position < ids.size(); position++) {
                    files.add(db.sql("INSERT INTO catalog_release_file (release_id, platform, position, file_id)"
                                    + " VALUES (:releaseId, :platform, :position, :fileId) ON CONFLICT DO NOTHING")
                            .bind("releaseId", release.releaseId())
                            .bind("platform", platform)
                            .bind("position", position)
                            .bind("fileId", ids.get(position))
                            .fetch()
                            .rowsUpdated());
                }
            });
            Mono<Void> current = db.sql("INSERT INTO catalog_product (sku, product_name, current_release_id,"
                            + " published_at) VALUES (:sku, :name, :releaseId, :publishedAt)"
                            + " ON CONFLICT (sku) DO UPDATE SET product_name = excluded.product_name,"
                            + " current_release_id = excluded.current_release_id,"
                            + " published_at = excluded.published_at"
                            + " WHERE catalog_product.published_at <= excluded.published_at")
                    .bind("sku", release.sku())
                    .bind("name", release.productName() == null ? release.sku() : release.productName())
                    .bind("releaseId", release.releaseId())
                    .bind("publishedAt", release.publishedAt())
                    .then();
            return Flux.concat(files).then(current);
        });
    }

    @Override
    public Mono<Void> saveBranding(String sku, ProductBranding branding, Instant changedAt) {
        var upsert = db.sql("INSERT INTO catalog_product_branding (sku, display_name, logo_url, accent_colour,"
                        + " support_email, changed_at) VALUES (:sku, :displayName, :logoUrl, :accentColour,"
                        + " :supportEmail, :changedAt) ON CONFLICT (sku) DO UPDATE SET"
                        + " display_name = excluded.display_name, logo_url = excluded.logo_url,"
                        + " accent_colour = excluded.accent_colour, support_email = excluded.support_email,"
                        + " changed_at = excluded.changed_at"
                        + " WHERE catalog_product_branding.changed_at <= excluded.changed_at")
                .bind("sku", sku)
                .bind("changedAt", changedAt);
        upsert = text(upsert, "displayName", branding.displayName());
        upsert = text(upsert, "logoUrl", branding.logoUrl());
        upsert = text(upsert, "accentColour", branding.accentColour());
        upsert = text(upsert, "supportEmail", branding.supportEmail());
        return upsert.then();
    }

    private static GenericExecuteSpec text(GenericExecuteSpec spec, String name, String value) {
        return value == null ? spec.bindNull(name, String.class) : spec.bind(name, value);
    }

    @Override
    public Mono<ProductBranding> branding(String sku) {
        return db.sql("SELECT display_name, logo_url, accent_colour, support_email FROM catalog_product_branding"
                        + " WHERE sku = :sku")
                .bind("sku", sku)
                .map(row -> new ProductBranding(
                        row.get("display_name", String.class),
                        row.get("logo_url", String.class),
                        row.get("accent_colour", String.class),
                        row.get("support_email", String.class)))
                .one();
    }

    @Override
    public Mono<Release> currentRelease(String sku) {
        return db.sql("SELECT r.release_id, r.sku, r.product_name, r.version, r.notes, r.published_at"
                        + " FROM catalog_product p JOIN catalog_release r ON r.release_id = p.current_release_id"
                        + " WHERE p.sku = :sku")
                .bind("sku", sku)
                .map(R2dbcCatalogStore::releaseHeader)
                .one()
                .flatMap(header -> db.sql("SELECT platform, file_id FROM catalog_release_file"
                                + " WHERE release_id = :id ORDER BY platform, position")
                        .bind("id", header.releaseId())
                        .map(row -> Map.entry(row.get("platform", String.class), row.get("file_id", UUID.class)))
                        .all()
                        .collectList()
                        .map(rows -> {
                            Map<String, List<UUID>> files = new LinkedHashMap<>();
                            rows.forEach(entry -> files.computeIfAbsent(entry.getKey(), key -> new ArrayList<>())
                                    .add(entry.getValue()));
                            return new Release(
                                    header.sku(),
                                    header.productName(),
                                    header.releaseId(),
                                    header.version(),
                                    header.notes(),
                                    files,
                                    header.publishedAt());
                        }));
    }

    @Override
    public Flux<CatalogFile> files(Collection<UUID> fileIds) {
        if (fileIds.isEmpty()) {
            return Flux.empty();
        }
        return db.sql("SELECT file_id, object_key, name, size, sha256, content_type, scan_status, stored_at,"
                        + " deleted_at, crc32 FROM catalog_file WHERE file_id = ANY(:ids)")
                .bind("ids", fileIds.toArray(UUID[]::new))
                .map(row -> new CatalogFile(
                        row.get("file_id", UUID.class),
                        row.get("object_key", String.class),
                        row.get("name", String.class),
                        row.get("size", Long.class),
                        row.get("sha256", String.class),
                        row.get("content_type", String.class),
                        row.get("scan_status", String.class),
                        row.get("stored_at", Instant.class),
                        row.get("deleted_at", Instant.class),
                        row.get("crc32", String.class)))
                .all();
    }

    private static Release releaseHeader(Readable row) {
        return new Release(
                row.get("sku", String.class),
                row.get("product_name", String.class),
                row.get("release_id", UUID.class),
                row.get("version", String.class),
                row.get("notes", String.class),
                Map.of(),
                row.get("published_at", Instant.class));
    }
}
