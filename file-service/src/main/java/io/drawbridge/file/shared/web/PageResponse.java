package io.drawbridge.file.shared.web;

import io.drawbridge.file.shared.Page;
import java.util.List;
import java.util.function.Function;

/** A page of a list as the admin API shows it. */
public record PageResponse<T>(List<T> items, int page, int size, long total) {

    public static <S, T> PageResponse<T> of(Page<S> page, Function<S, T> mapper) {
        return new PageResponse<>(page.items().stream().map(mapper).toList(), page.page(), page.size(), page.total());
    }

    /** Clamps client-supplied paging to sane bounds. */
    public static int size(Integer requested) {
        return requested == null ? 50 : Math.max(1, Math.min(requested, 500));
    }

    public static int page(Integer requested) {
        return requested == null ? 0 : Math.max(0, Math.min(requested, 1_000_000));
    }
}
