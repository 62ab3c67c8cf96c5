package io.drawbridge.file.files.persistence;

import io.drawbridge.file.files.domain.FileName;
import io.drawbridge.file.files.domain.FileRepository;
import io.drawbridge.file.files.domain.ScanStatus;
import io.drawbridge.file.files.domain.StoredFile;
import io.drawbridge.file.shared.Page;
import io.drawbridge.file.shared.Rejection;
import io.drawbridge.file.shared.Rejection.Kind;
import io.r2dbc.spi.Readable;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

@Repository
class R2dbcFileRepository implements FileRepository {

    private static final String COLUMNS =
            "id, object_key, name, size, sha256, crc32, content_type, scan_status, scan_signature, created_at";

    private final DatabaseClient db;

    R2dbcFileRepository(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public Mono<Void> insert(StoredFile file) {
        var spec = db.sql("insert into stored_file (" + COLUMNS + ") values "
                        + "(:id, :key, :name, :size, :sha256, :crc32, :type, :status, :signature, :createdAt)")
                .bind("id", file.id())
                .bind("key", file.objectKey())
                .bind("name", file.name().value())
                .bind("size", file.size())
                .bind("sha256", file.sha256())
                .bind("crc32", file.crc32())
                .bind("type", file.contentType())
                .bind("status", file.scanStatus().code())
                .bind("createdAt", file.createdAt());
        spec = file.scanSignature() == null
                ? spec.bindNull("signature", String.class)
                : spec.bind("signature", file.scanSignature());
        return spec.then();
    }

    @Override
    public Mono<StoredFile> find(UUID id) {
        return db.sql("select " + COLUMNS + " from stored_file where id = :id")
                .bind("id", id)
                .map(R2dbcFileRepository::map)
                .one();
    }

    @Override
    public Mono<Page<StoredFile>> search(String query, int page, int size) {
        String where = query == null ? "" : " where lower(name) like :pattern escape '\\'";
        String pattern = query == null ? null : "%" + escapeLike(query.toLowerCase()) + "%";
        var items = bindPattern(
                        db.sql("select " + COLUMNS + " from stored_file" + where
                                + " order by created_at desc, id limit :limit offset :offset"),
                        pattern)
                .bind("limit", size)
                .bind("offset", (long) page * size)
                .map(R2dbcFileRepository::map)
                .all()
                .collectList();
        var total = bindPattern(db.sql("select count(*) as total from stored_file" + where), pattern)
                .map(row -> row.get("total", Long.class))
                .one();
        return Mono.zip(items, total, (list, count) -> new Page<>(list, page, size, count));
    }

    private static DatabaseClient.GenericExecuteSpec bindPattern(
            DatabaseClient.GenericExecuteSpec spec, String pattern) {
        return pattern == null ? spec : spec.bind("pattern", pattern);
    }

    static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    @Override
    public Mono<Boolean> usedByRelease(UUID id) {
        return db.sql("select exists (select 1 from release_file where file_id = :id) as used")
                .bind("id", id)
                .map(row -> row.get("used", Boolean.class))
                .one();
    }

    @Override
    public Mono<Boolean> delete(UUID id) {
        return db.sql("delete from stored_file where id = :id")
                .bind("id", id)
                .fetch()
                .rowsUpdated()
                .map(count -> count > 0)
                .onErrorMap(
                        DataIntegrityViolationException.class,
                        e -> new Rejection(
                                Kind.CONFLICT,
                                "file_in_use",
                                "File " + id + " is part of a published release and cannot be deleted."));
    }

    static StoredFile map(Readable row) {
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
