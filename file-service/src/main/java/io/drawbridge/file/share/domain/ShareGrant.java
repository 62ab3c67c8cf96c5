package io.drawbridge.file.share.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A file read in progress: the share's data key and its name, type and SHA-256, sealed with the grant's own key
 * (which only its URL holds).
 */
public record ShareGrant(
        UUID id, UUID shareId, byte[] wrappedKey, byte[] sealedMeta, boolean settled, Instant expiresAt) {}
