package io.drawbridge.file.files.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A file announced by a seller who PUTs its bytes straight to the bucket through presigned URLs. It becomes a
 * {@link StoredFile} (same id) only when completed and verified. The presigned URLs write {@code objectKey}, a staging
 * key under {@code uploads/}; completing copies it to the file's own key ({@link StoredFile#objectKeyFor}), which no
 * URL ever writes, and verifies that copy: a PUT after completion cannot change what buyers get.
 *
 * @param objectKey where the presigned URLs write ({@link #stagingKeyFor}; uploads started before staging keys
 *     existed write the file's own key)
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

    /** Where presigned URLs write; nothing under it is ever delivered. */
    public static final String STAGING_PREFIX = "uploads/";

    /** Where a direct upload stands. */
    public enum Status {
        PENDING,
        COMPLETING,
        COMPLETED
    }

    public static String stagingKeyFor(UUID id) {
        return STAGING_PREFIX + id;
    }

    /** The key of the stored file this upload becomes. */
    public String fileKey() {
        return StoredFile.objectKeyFor(id);
    }

    public boolean multipart() {
        return multipartUploadId != null;
    }

    public int partCount() {
        return multipart() ? Math.toIntExact((size + partSize - 1) / partSize) : 1;
    }
}
