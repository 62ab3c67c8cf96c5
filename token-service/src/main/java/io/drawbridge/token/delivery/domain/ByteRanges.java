package io.drawbridge.token.delivery.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Unions of byte ranges: whether what a grant sent covers its download, and how much of a new window it would send
 * a second time. A download resumed with {@code Range}, or fetched in parallel segments, is several responses; only
 * their union says whether the customer now has the file.
 */
public final class ByteRanges {

    private ByteRanges() {}

    /** {@code [start, end)}. */
    public record Span(long start, long end) {
        public long length() {
            return Math.max(0, end - start);
        }
    }

    /** Whether the union of {@code spans} covers {@code [0, size)}; an empty target is covered by any response. */
    public static boolean covers(List<Span> spans, long size) {
        if (size <= 0) {
            return !spans.isEmpty();
        }
        long coveredTo = 0;
        for (Span span : merged(spans)) {
            if (span.start() > coveredTo) {
                return false;
            }
            coveredTo = Math.max(coveredTo, span.end());
        }
        return coveredTo >= size;
    }

    /** How many bytes of {@code window} the union of {@code spans} already holds. */
    public static long overlap(List<Span> spans, Span window) {
        long overlap = 0;
        for (Span span : merged(spans)) {
            overlap += new Span(Math.max(span.start(), window.start()), Math.min(span.end(), window.end())).length();
        }
        return overlap;
    }

    /** Whether any of {@code spans} shares a byte with {@code window}. */
    public static boolean intersects(List<Span> spans, Span window) {
        return spans.stream()
                .anyMatch(span -> span.start() < window.end() && window.start() < span.end() && span.length() > 0);
    }

    /** The union as disjoint spans, in order. */
    static List<Span> merged(List<Span> spans) {
        List<Span> sorted = spans.stream()
                .filter(span -> span.length() > 0)
                .sorted(Comparator.comparingLong(Span::start))
                .toList();
        List<Span> merged = new ArrayList<>();
        for (Span span : sorted) {
            Span last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && span.start() <= last.end()) {
                merged.set(merged.size() - 1, new Span(last.start(), Math.max(last.end(), span.end())));
            } else {
                merged.add(span);
            }
        }
        return merged;
    }
}
