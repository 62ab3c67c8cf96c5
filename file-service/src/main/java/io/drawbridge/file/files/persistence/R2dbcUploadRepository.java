package io.drawbridge.file.files.persistence;

import io.drawbridge.file.files.domain.DirectUpload;
import io.drawbridge.file.files.domain.FileName;
import io.drawbridge.file.files.domain.UploadRepository;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
class R2dbcUploadRepository implements UploadRepository {

    private static final String COLUMNS = "id, object_key, name, size, content_type, multipart_upload_id, part_size, "
            + "status, created_at, expires_at";

    private final DatabaseClient db;

    R2dbcUploadRepository(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public Mono<Void> insert(DirectUpload upload) {
        var spec = db.sql("insert into direct_upload (" + COLUMNS + ") values (:id, :key, :name, :size, :type, "
                        + ":uploadId, :partSize, :status, :createdAt, :expiresAt)")
                .bind("id", upload.id())
                .bind("key", upload.objectKey())
                .bind("name", upload.name().value())
                .bind("size", upload.size())
                .bind("type", upload.contentType())
                .bind("partSize", upload.partSize())
                .bind("status", code(upload.status()))
                .bind("createdAt", upload.createdAt())
                .bind("expiresAt", upload.expiresAt());
        spec = upload.multipartUploadId() == null
                ? spec.bindNull("uploadId", String.class)
                : spec.bind("uploadId", upload.multipartUploadId());
        return spec.then();
    }

    @Override
    public Mono<DirectUpload> find(UUID id) {
        return db.sql("select " + COLUMNS + " from direct_upload where id = :id")
                .bind("id", id)
                .map(R2dbcUploadRepository::map)
                .one();
    }

    @Override
    public Mono<DirectUpload> claim(UUID id) {
        return db.sql("update direct_upload set status = 'completing' where id = :id and status = 'pending' "
                        + "returning " + COLUMNS)
                .bind("id", id)
                .map(R2dbcUploadRepository::map)
                .one();
    }

    @Override
    public Mono<Void> release(UUID id) {
        return db.sql("update direct_upload set status = 'pending' where id = :id and status = 'completing'")
                .bind("id", id)
                .then();
    }

    @Override
    public Mono<Boolean> markCompleted(UUID id) {
        return db.sql("update direct_upload set status = 'completed' where id = :id and status = 'completing'")
                .bind("id", id)
                .fetch()
                .rowsUpdated()
                .map(count -> count > 0);
    }

    @Override
    public Flux<DirectUpload> unfinishedExpiredBefore(Instant before) {
        return db.sql("select " + COLUMNS + " from direct_upload where status <> 'completed' and expires_at < :before "
                        + "order by expires_at limit 500")
                .bind("before", before)
                .map(R2dbcUploadRepository::map)
                .all();
    }

    @Override
    public Mono<Boolean> deleteUnfinished(UUID id) {
        return db.sql("delete from direct_upload where id = :id and status <> 'completed'")
                .bind("id", id)
                .fetch()
                .rowsUpdated()
                .map(count -> count > 0);
    }

    @Override
    public Mono<Set<String>> multipartUploadIds() {
        return db.sql("select multipart_upload_id from direct_upload "
                        + "where status <> 'completed' and multipart_upload_id is not null")
                .map(row -> row.get("multipart_upload_id", String.class))
                .all()
                .collect(HashSet<String>::new, Set::add)
                .map(Set::copyOf);
    }

    private static String code(DirectUpload.Status status) {
        return status.name().toLowerCase(Locale.ROOT);
    }

    static DirectUpload map(Readable row) {
        return new DirectUpload(
                row.get("id", UUID.class),
                row.get("object_key", String.class),
                new FileName(row.get("name", String.class)),
                row.get("size", Long.class),
                row.get("content_type", String.class),
                row.get("multipart_upload_id", String.class),
                row.get("part_size", Long.class),
                DirectUpload.Status.valueOf(row.get("status", String.class).toUpperCase(Locale.ROOT)),
                row.get("created_at", OffsetDateTime.class).toInstant(),
                row.get("expires_at", OffsetDateTime.class).toInstant());
    }
}
