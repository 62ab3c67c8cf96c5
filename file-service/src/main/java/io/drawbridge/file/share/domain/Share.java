package io.drawbridge.file.share.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * One share's row. {@code sealedMeta}, {@code wrappedKey}, {@code keySalt} and {@code passwordSalt} are null once it
 * ended; {@code objectKey} once its object is deleted.
 */
public record Share(
        UUID id,
        String tokenHash,
        String kind,
        String status,
        long size,
        String objectKey,
        byte[] sealedMeta,
        byte[] wrappedKey,
        byte[] keySalt,
        byte[] passwordSalt,
        int passwordFailures,
        int maxReads,
        int readsUsed,
        long bytesSent,
        Instant createdAt,
        Instant expiresAt) {

    public static final String TEXT = "text";
    public static final String FILE = "file";
    public static final String ACTIVE = "active";
    public static final String BURNT = "burnt";
    public static final String EXPIRED = "expired";
    public static final String DELETED = "deleted";

    boolean guarded() {
        return passwordSalt != null;
    }

    int readsLeft() {
        return Math.max(0, maxReads - readsUsed);
    }

    boolean readable(Instant now) {
        return ACTIVE.equals(status) && expiresAt.isAfter(now) && readsUsed < maxReads && wrappedKey != null;
    }
}
