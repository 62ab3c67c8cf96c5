package io.drawbridge.token.redeem.domain;

import java.util.UUID;

/**
 * One file of a grant, as it was when granted (a later release does not change a grant in flight).
 *
 * @param crc32 lowercase hex CRC-32 of the file; null for files the catalog has none for (then the gateway streams
 *     a ZIP of several items without a length, not resumable)
 */
public record GrantItem(
        UUID fileId,
        String objectKey,
        String name,
        long size,
        String sha256,
        String contentType,
        String platform,
        String crc32) {}
