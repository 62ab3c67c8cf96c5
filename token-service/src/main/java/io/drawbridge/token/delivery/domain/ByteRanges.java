package io.drawbridge.token.delivery.domain;

import io.drawbridge.token.redeem.domain.GrantItem;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Whether the ranges delivered for a grant add up to every byte of it. A download resumed with {@code Range}, or
 * fetched in parallel segments, reports several partial responses; only their union says whether the customer
 * now has the file.
 */
public final class ByteRanges {

    private ByteRanges() {}

    /** True when the ZIP was delivered whole, or every item's ranges cover {@code [0, size)}. */
    public static boolean deliverComplete(List<GrantItem> items, List<DeliveredRange> delivered) {
        if (items.isEmpty()) {
            return false;
        }
        boolean archiveWhole = delivered.stream()
                .filter(range -> range.fileId() == null)
                .map(DeliveredRange::totalSize)
                .distinct()
                .anyMatch(total -> covers(ranges(delivered, null, total), total));
        if (archiveWhole) {
            return true;
        }
        for (GrantItem item : items) {
            List<DeliveredRange> ofItem = ranges(delivered, item.fileId(), item.size());
            if (item.size() == 0 ? ofItem.isEmpty() : !covers(ofItem, item.size())) {
                return false;
            }
        }
        return true;
    }

    /** Whether the union of {@code ranges} covers {@code [0, size)}. */
    public static boolean covers(List<DeliveredRange> ranges, long size) {
        if (size <= 0) {
            return !ranges.isEmpty();
        }
        long coveredTo = 0;
        for (DeliveredRange range : ranges.stream()
                .sorted(Comparator.comparingLong(DeliveredRange::start))
                .toList()) {
            if (range.start() > coveredTo) {
                return false;
            }
            coveredTo = Math.max(coveredTo, range.end());
            if (coveredTo >= size) {
                return true;
            }
        }
        return coveredTo >= size;
    }

    private static List<DeliveredRange> ranges(List<DeliveredRange> delivered, UUID fileId, long totalSize) {
        return delivered.stream()
                .filter(range -> Objects.equals(range.fileId(), fileId))
                .filter(range -> fileId != null || range.totalSize() == totalSize)
                .toList();
    }
}
