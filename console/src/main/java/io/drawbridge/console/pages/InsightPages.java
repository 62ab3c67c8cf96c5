package io.drawbridge.console.pages;

import io.drawbridge.console.activity.ActionLog;
import io.drawbridge.console.activity.ActionLog.ActionQuery;
import io.drawbridge.console.pages.AdminApi.ApiRefusal;
import io.drawbridge.console.pages.AdminApi.Target;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What happened: the dashboard (audit-service's stats, and one stats call per day for the chart), an order's
 * timeline, the download log (paged by audit-service, CSV streamed through), and the console's own action log.
 */
@Controller
class InsightPages {

    static final int CHART_DAYS = 14;

    private final AdminApi api;
    private final ActionLog actions;
    private final Clock clock = Clock.systemUTC();

    InsightPages(AdminApi api, ActionLog actions) {
        this.api = api;
        this.actions = actions;
    }

    public record Day(LocalDate day, long downloads) {}

    @GetMapping("/")
    Mono<String> dashboard(Model model) {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        Mono<Map<String, Object>> total = api.get(Target.AUDIT, "/api/v1/stats", null);
        Mono<List<Day>> days = Flux.range(0, CHART_DAYS)
                .map(offset -> today.minusDays(CHART_DAYS - 1 - offset))
                .concatMap(day -> {
                    MultiValueMap<String, String> query = new LinkedMultiValueMap<>();
                    query.add("from", day.toString());
                    query.add("to", day.toString());
                    return api.get(Target.AUDIT, "/api/v1/stats", query)
                            .map(stats -> new Day(day, number(stats.get("total_downloads"))));
                })
                .collectList();
        MultiValueMap<String, String> recent = new LinkedMultiValueMap<>();
        recent.add("size", "10");
        return Mono.zip(total, days, api.get(Target.AUDIT, "/api/v1/download-logs", recent))
                .map(all -> {
                    model.addAttribute("stats", all.getT1());
                    model.addAttribute("days", all.getT2());
                    model.addAttribute(
                            "maxDay",
                            Math.max(
                                    1,
                                    all.getT2().stream()
                                            .mapToLong(Day::downloads)
                                            .max()
                                            .orElse(1)));
                    model.addAttribute("recent", LinksPages.items(all.getT3()));
                    return "dashboard";
                })
                .onErrorResume(ApiRefusal.class, refusal -> {
                    model.addAttribute("error", refusal.message());
                    model.addAttribute("stats", Map.of());
                    model.addAttribute("days", List.of());
                    model.addAttribute("maxDay", 1);
                    model.addAttribute("recent", List.of());
                    return Mono.just("dashboard");
                });
    }

    @GetMapping("/orders")
    Mono<String> order(@RequestParam(name = "order_id", defaultValue = "") String orderId, Model model) {
        model.addAttribute("orderId", orderId);
        if (orderId.isBlank()) {
            model.addAttribute("events", List.of());
            return Mono.just("orders");
        }
        return api.get(
                        Target.AUDIT,
                        "/api/v1/orders/"
                                + org.springframework.web.util.UriUtils.encodePathSegment(
                                        orderId.trim(), StandardCharsets.UTF_8)
                                + "/timeline",
                        null)
                .map(timeline -> {
                    model.addAttribute("events", timeline.getOrDefault("events", List.of()));
                    return "orders";
                })
                .onErrorResume(ApiRefusal.class, refusal -> {
                    model.addAttribute("events", List.of());
                    model.addAttribute("error", refusal.message());
                    return Mono.just("orders");
                });
    }

    @GetMapping("/downloads")
    Mono<String> downloads(
            @RequestParam(defaultValue = "") String email,
            @RequestParam(name = "order_id", defaultValue = "") String orderId,
            @RequestParam(defaultValue = "") String outcome,
            @RequestParam(defaultValue = "") String from,
            @RequestParam(defaultValue = "") String to,
            @RequestParam(defaultValue = "0") int page,
            Model model) {
        int size = 50;
        MultiValueMap<String, String> query = logQuery(email, orderId, outcome, from, to);
        model.addAllAttributes(query.toSingleValueMap());
        model.addAttribute("query", query.toSingleValueMap());
        query.add("page", Integer.toString(Math.max(0, page)));
        query.add("size", Integer.toString(size));
        return api.get(Target.AUDIT, "/api/v1/download-logs", query)
                .map(answer -> {
                    model.addAttribute("items", LinksPages.items(answer));
                    model.addAttribute("paging", Paging.of(answer, Math.max(0, page), size));
                    return "downloads";
                })
                .onErrorResume(ApiRefusal.class, refusal -> {
                    model.addAttribute("items", List.of());
                    model.addAttribute("paging", new Paging(0, size, 0));
                    model.addAttribute("error", refusal.message());
                    return Mono.just("downloads");
                });
    }

    /** The download log as CSV: audit-service streams it, the console passes the bytes on. */
    @GetMapping("/downloads.csv")
    ResponseEntity<Flux<DataBuffer>> downloadsCsv(
            @RequestParam(defaultValue = "") String email,
            @RequestParam(name = "order_id", defaultValue = "") String orderId,
            @RequestParam(defaultValue = "") String outcome,
            @RequestParam(defaultValue = "") String from,
            @RequestParam(defaultValue = "") String to) {
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"download-log.csv\"")
                .body(api.csv(Target.AUDIT, "/api/v1/download-logs", logQuery(email, orderId, outcome, from, to)));
    }

    @GetMapping("/audit")
    Mono<String> audit(
            @RequestParam(defaultValue = "") String actor,
            @RequestParam(defaultValue = "") String action,
            @RequestParam(defaultValue = "") String q,
            @RequestParam(defaultValue = "0") int page,
            Model model) {
        model.addAttribute("actor", actor);
        model.addAttribute("action", action);
        model.addAttribute("q", q);
        return actions.search(new ActionQuery(actor, action, q, page, 50)).map(result -> {
            model.addAttribute("items", result.items());
            model.addAttribute("paging", new Paging(result.page(), result.size(), result.total()));
            return "audit";
        });
    }

    /** The console's action log as CSV (RFC 4180; cells that a spreadsheet would run as a formula are quoted out). */
    @GetMapping("/audit.csv")
    ResponseEntity<Flux<DataBuffer>> auditCsv(
            @RequestParam(defaultValue = "") String actor,
            @RequestParam(defaultValue = "") String action,
            @RequestParam(defaultValue = "") String q) {
        DefaultDataBufferFactory buffers = DefaultDataBufferFactory.sharedInstance;
        Flux<DataBuffer> rows = Flux.concat(
                        Flux.just("occurred_at,actor,action,target,detail\r\n"),
                        actions.export(new ActionQuery(actor, action, q, 0, 1))
                                .map(row -> String.join(
                                                ",",
                                                cell(row.occurredAt().toString()),
                                                cell(row.actor()),
                                                cell(row.action()),
                                                cell(row.target()),
                                                cell(row.detail()))
                                        + "\r\n"))
                .map(line -> buffers.wrap(line.getBytes(StandardCharsets.UTF_8)));
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"console-actions.csv\"")
                .body(rows);
    }

    static String cell(String value) {
        String text = value == null ? "" : value;
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            text = "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }

    private static MultiValueMap<String, String> logQuery(
            String email, String orderId, String outcome, String from, String to) {
        MultiValueMap<String, String> query = new LinkedMultiValueMap<>();
        query.add("email", email);
        query.add("order_id", orderId);
        query.add("outcome", outcome);
        query.add("from", from);
        query.add("to", to);
        return query;
    }

    private static long number(Object value) {
        return value instanceof Number number ? number.longValue() : 0;
    }

    static List<String> nonBlank(List<String> values) {
        List<String> kept = new ArrayList<>();
        values.stream().filter(v -> v != null && !v.isBlank()).forEach(kept::add);
        return kept;
    }
}
