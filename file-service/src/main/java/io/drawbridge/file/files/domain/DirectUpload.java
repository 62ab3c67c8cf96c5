package io.drawbridge.file.files.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A file announced by a seller who PUTs its bytes straight to the bucket through presigned URLs. It becomes a
 * {@link StoredFile} (same id, same object key) only when completed and verified.
 *
 * @param multipartUploadId S3's upload id when the bytes go up in parts, else null
 * @param partSize size of every part but the last, when in parts (else 0)
 * @param expiresAt when the presigned URLs stop working
 */
public record DirectUpload(
        UUID id,
        String objectKey,
        FileName name,
        long size,
        String contentType,
        String multipartUploadId,
        long partSize,
        Status status,
        Instant createdAt,
        Instant expiresAt) {

    /** Where a direct upload stands. */
    public enum Status {
        PENDING,
        COMPLETING,
        COMPLETED
    }

    public boolean multipart() {
        return multipartUploadId != null;
    }

    public int partCount() {
        return multipart() ? Math.toIntExact((size + partSize - 1) / partSize) : 1;
    }
}
