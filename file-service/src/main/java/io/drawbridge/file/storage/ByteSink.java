package io.drawbridge.file.storage;

/** Sees every byte of a stream once, in order, as it passes (checksums, size limits). */
@FunctionalInterface
public interface ByteSink {

    void accept(byte[] bytes, int offset, int length);
}
