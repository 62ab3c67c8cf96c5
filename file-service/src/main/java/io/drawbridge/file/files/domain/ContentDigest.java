package io.drawbridge.file.files.domain;

import io.drawbridge.file.storage.ByteSink;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32;

/** SHA-256, CRC32 and size of a stream, updated as its bytes pass, so a file is never read twice to describe it. */
public final class ContentDigest implements ByteSink {

    private final MessageDigest sha256;
    private final CRC32 crc32 = new CRC32();
    private long size;

    public ContentDigest() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public void accept(byte[] bytes, int offset, int length) {
        sha256.update(bytes, offset, length);
        crc32.update(bytes, offset, length);
        size += length;
    }

    public long size() {
        return size;
    }

    /** The result; call once, after the last byte. */
    public Checksums finish() {
        return new Checksums(size, HexFormat.of().formatHex(sha256.digest()), String.format("%08x", crc32.getValue()));
    }

    /** The checksums of complete content. */
    public record Checksums(long size, String sha256, String crc32) {}
}
