package io.drawbridge.gateway.grant.domain;

/**
 * The part of a file one response sends: {@code [start, start + length)}.
 *
 * @param partial true for a 206 answer to a Range request
 */
public record ByteRange(long start, long length, boolean partial) {

    public static ByteRange whole(long size) {
        return new ByteRange(0, size, false);
    }

    /** Last byte offset, inclusive, as Content-Range writes it. */
    public long end() {
        return start + length - 1;
    }
}
