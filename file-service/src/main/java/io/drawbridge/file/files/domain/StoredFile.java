package io.drawbridge.file.files.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A file whose bytes are complete in the bucket under {@code objectKey}: only such files have a row.
 *
 * @param sha256 lowercase hex SHA-256 of the bytes
 * @param crc32 lowercase hex CRC32 (8 digits) of the bytes
 * @param scanSignature the malware signature clamd found, when {@code scanStatus} is INFECTED
 */
public record StoredFile(
        UUID id,
        String objectKey,
        FileName name,
        long size,
        String sha256,
        String crc32,
        String contentType,
        ScanStatus scanStatus,
        String scanSignature,
        Instant createdAt) {

    public static String objectKeyFor(UUID id) {
        return "files/" + id;
    }

    public boolean available() {
        return scanStatus.available();
    }
}
