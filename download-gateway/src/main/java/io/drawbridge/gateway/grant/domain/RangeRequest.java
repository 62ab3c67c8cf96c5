package io.drawbridge.gateway.grant.domain;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code Range} header (RFC 9110 §14) for one resource of known size. Only single byte ranges are
 * honoured: a multi-range or malformed header is ignored (the whole file, 200), as the RFC allows, because
 * download managers resume with single ranges and multipart/byteranges buys nothing here.
 */
public final class RangeRequest {

    private static final Pattern SINGLE = Pattern.compile("\\s*bytes\\s*=\\s*(\\d*)\\s*-\\s*(\\d*)\\s*");

    private RangeRequest() {}

    /** What to do with {@code header} for a file of {@code size} bytes. */
    public static Decision decide(String header, long size) {
        if (header == null || header.isBlank()) {
            return Decision.whole(size);
        }
        Matcher m = SINGLE.matcher(header);
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return Decision.whole(size);
        }
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                if (suffix == 0 || size == 0) {
                    return Decision.UNSATISFIABLE;
                }
                long length = Math.min(suffix, size);
                return new Decision(new ByteRange(size - length, length, true), false);
            }
            long start = Long.parseLong(m.group(1));
            if (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < start) {
                return Decision.whole(size); // last-byte-pos before first-byte-pos: not a valid range
            }
            if (start >= size) {
                return Decision.UNSATISFIABLE;
            }
            long end = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            return new Decision(new ByteRange(start, end - start + 1, true), false);
        } catch (NumberFormatException tooLong) {
            return Decision.whole(size);
        }
    }

    /**
     * @param range what to send, null when {@code unsatisfiable}
     * @param unsatisfiable answer 416 with {@code Content-Range: bytes *}{@code /size}
     */
    public record Decision(ByteRange range, boolean unsatisfiable) {
        static final Decision UNSATISFIABLE = new Decision(null, true);

        static Decision whole(long size) {
            return new Decision(ByteRange.whole(size), false);
        }
    }
}
