package io.drawbridge.audit.downloads.web;

import io.drawbridge.audit.downloads.domain.DownloadLogFilter;
import io.drawbridge.audit.downloads.domain.DownloadLogPage;
import io.drawbridge.audit.downloads.persistence.DownloadLogQueries;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/v1/download-logs}: the log as a JSON page, or, for {@code Accept: text/csv}, every matching row
 * as a streamed CSV attachment (for a dispute: all of one customer's or order's downloads).
 */
@Component
class DownloadLogHandler {

    static final MediaType TEXT_CSV = new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8);

    private static final int DEFAULT_PAGE_SIZE = 50;
    private static final int MAX_PAGE_SIZE = 500;

    private final DownloadLogQueries queries;
    private final Clock clock;

    DownloadLogHandler(DownloadLogQueries queries, Clock clock) {
        this.queries = queries;
        this.clock = clock;
    }

    /** True when the client asked for CSV explicitly; {@code *}{@code /*} and JSON get the JSON page. */
    static boolean wantsCsv(ServerRequest request) {
        return request.headers().accept().stream()
                .anyMatch(type -> "text".equalsIgnoreCase(type.getType()) && "csv".equalsIgnoreCase(type.getSubtype()));
    }

    Mono<ServerResponse> page(ServerRequest request) {
        DownloadLogFilter filter = filter(request);
        int page = AdminQuery.integer("page", request.queryParam("page").orElse(null), 0, 0, 1_000_000);
        int size = AdminQuery.integer(
                "size", request.queryParam("size").orElse(null), DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
        Mono<DownloadLogPage> body = queries.count(filter)
                .flatMap(total -> queries.find(filter, (long) page * size, size)
                        .collectList()
                        .map(items -> DownloadLogPage.of(items, page, size, total)));
        return body.flatMap(result -> ServerResponse.ok()
                .contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .bodyValue(result));
    }

    Mono<ServerResponse> csv(ServerRequest request) {
        DownloadLogFilter filter = filter(request);
        Flux<String> lines = Flux.concat(
                Flux.just(CsvFormat.header()), queries.stream(filter).map(CsvFormat::line));
        String fileName = "download-log-"
                + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                        .withZone(java.time.ZoneOffset.UTC)
                        .format(clock.instant())
                + ".csv";
        return ServerResponse.ok()
                .contentType(TEXT_CSV)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment()
                                .filename(fileName)
                                .build()
                                .toString())
                .body(lines, String.class);
    }

    private static DownloadLogFilter filter(ServerRequest request) {
        var from = AdminQuery.from(request.queryParam("from").orElse(null));
        var to = AdminQuery.to(request.queryParam("to").orElse(null));
        AdminQuery.period(from, to);
        return new DownloadLogFilter(
                AdminQuery.text(request.queryParam("email").orElse(null)),
                AdminQuery.text(request.queryParam("order_id").orElse(null)),
                AdminQuery.uuid("token_id", request.queryParam("token_id").orElse(null)),
                AdminQuery.outcome(request.queryParam("outcome").orElse(null)),
                from,
                to);
    }
}
