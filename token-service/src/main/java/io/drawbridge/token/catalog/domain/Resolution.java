package io.drawbridge.token.catalog.domain;

import java.util.List;

/** What a token delivers right now: the files, or why there is nothing to deliver. */
public sealed interface Resolution {

    /** A file to deliver and the platform it was chosen for (null for a token's explicit files). */
    record Item(CatalogFile file, String platform) {}

    /**
     * Files to deliver; {@code archiveName} names the ZIP the gateway builds when there are several (null for one).
     */
    record Resolved(List<Item> items, String archiveName) implements Resolution {
        public Resolved {
            items = List.copyOf(items);
        }

        public long totalSize() {
            return items.stream().mapToLong(item -> item.file().size()).sum();
        }
    }

    /** Nothing to deliver (unknown product, no build for the platform, a deleted file); detail says which. */
    record Unavailable(String detail) implements Resolution {}
}
