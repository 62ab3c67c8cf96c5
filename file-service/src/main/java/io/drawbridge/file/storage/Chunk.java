package io.drawbridge.file.storage;

/**
 * A slice of an object's bytes on its way to or from S3: {@code data[0, length)}. A stream of chunks ends with one
 * whose {@code last} is true (possibly empty), so that a writer knows, from the first chunk, whether one PUT is
 * enough.
 */
public record Chunk(byte[] data, int length, boolean last) {

    public Chunk {
        if (length < 0 || length > data.length) {
            throw new IllegalArgumentException("length " + length + " outside 0.." + data.length);
        }
    }
}
