package io.drawbridge.audit.downloads.domain;

import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** One page of the download log, newest first. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DownloadLogPage(List<DownloadLogEntry> items, int page, int size, long totalElements, long totalPages) {

    public static DownloadLogPage of(List<DownloadLogEntry> items, int page, int size, long total) {
        return new DownloadLogPage(items, page, size, total, (total + size - 1) / size);
    }
}
