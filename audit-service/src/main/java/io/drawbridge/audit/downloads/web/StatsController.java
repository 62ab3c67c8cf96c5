package io.drawbridge.audit.downloads.web;

import io.drawbridge.audit.downloads.domain.DownloadStats;
import io.drawbridge.audit.downloads.persistence.DownloadLogQueries;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code GET /api/v1/stats}: the seller's download numbers, for all time or a period ({@code from}, {@code to}). */
@RestController
class StatsController {

    private final DownloadLogQueries queries;
    private final Clock clock;

    StatsController(DownloadLogQueries queries, Clock clock) {
        this.queries = queries;
        this.clock = clock;
    }

    @GetMapping(path = "/api/v1/stats", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<DownloadStats> stats(@RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        Instant start = AdminQuery.from(from);
        Instant end = AdminQuery.to(to);
        AdminQuery.period(start, end);
        Instant startOfToday = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)
                .atStartOfDay()
                .toInstant(ZoneOffset.UTC);
        return queries.stats(start, end, startOfToday);
    }
}
