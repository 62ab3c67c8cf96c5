package io.drawbridge.file.files.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.drawbridge.file.files.domain.StoredFile;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** A stored file as admins see it (snake_case); {@code scan_signature} only for quarantined files. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FileResponse(
        UUID id,
        String name,
        long size,
        String sha256,
        String crc32,
        String contentType,
        String scanStatus,
        String scanSignature,
        boolean available,
        Instant createdAt) {

    public static FileResponse of(StoredFile file) {
        return new FileResponse(
                file.id(),
                file.name().value(),
                file.size(),
                file.sha256(),
                file.crc32(),
                file.contentType(),
                file.scanStatus().code(),
                file.scanSignature(),
                file.available(),
                file.createdAt());
    }
}
