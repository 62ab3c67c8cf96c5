package io.drawbridge.file.storage;

import java.time.Instant;

/** A multipart upload S3 still holds parts for: neither completed nor aborted. */
public record PendingMultipart(String key, String uploadId, Instant initiated) {}
