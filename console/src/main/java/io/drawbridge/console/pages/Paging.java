package io.drawbridge.console.pages;

import java.util.Map;

/** Server-side paging of an admin API answer ({@code items, page, size, total}). */
public record Paging(int page, int size, long total) {

    static Paging of(Map<String, Object> answer, int page, int size) {
        Object total = answer.getOrDefault("total", answer.getOrDefault("total_elements", 0));
        return new Paging(page, size, ((Number) total).longValue());
    }

    public long pages() {
        return Math.max(1, (total + size - 1) / size);
    }

    public boolean hasPrevious() {
        return page > 0;
    }

    public boolean hasNext() {
        return page + 1 < pages();
    }
}
