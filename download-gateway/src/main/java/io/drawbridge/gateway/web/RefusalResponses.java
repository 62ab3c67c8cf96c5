package io.drawbridge.gateway.web;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers a {@link DownloadRefused}: an HTML page for browsers on {@code /d/*} and {@code /dl/*}, an RFC 9457
 * problem document (the same shape as the platform's) for the JSON API and for clients that ask for JSON.
 * Used where the platform's controller advice cannot help: in filters and in handlers that write the response
 * themselves.
 */
@Component
public class RefusalResponses {

    static final String PROBLEM_TYPE_BASE = "https://drawbridge.dev/problems/";

    private final HtmlPages pages;
    private final JsonMapper json;
    private final MeterRegistry meters;

    RefusalResponses(HtmlPages pages, JsonMapper json, MeterRegistry meters) {
        this.pages = pages;
        this.json = json;
        this.meters = meters;
    }

    /** Writes the refusal in the representation the request wants. */
    public Mono<Void> write(ServerWebExchange exchange, DownloadRefused refusal) {
        return wantsProblem(exchange.getRequest()) ? problem(exchange, refusal) : html(exchange, refusal);
    }

    public Mono<Void> html(ServerWebExchange exchange, DownloadRefused refusal) {
        return html(exchange, refusal, pages.sellerLook());
    }

    /** The refusal's page in the buyer's language and in {@code look} (a product's, when the link was known). */
    public Mono<Void> html(ServerWebExchange exchange, DownloadRefused refusal, HtmlPages.Look look) {
        ServerHttpResponse response = prepare(exchange, refusal);
        response.getHeaders().setContentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8));
        BuyerText text = BuyerText.of(exchange.getRequest());
        HtmlPages.language(exchange, text);
        pages.allow(exchange, look);
        return writeBody(response, pages.refusal(text, look, refusal).getBytes(StandardCharsets.UTF_8));
    }

    public Mono<Void> problem(ServerWebExchange exchange, DownloadRefused refusal) {
        ServerHttpResponse response = prepare(exchange, refusal);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", PROBLEM_TYPE_BASE + refusal.error().code());
        body.put("title", refusal.error().title());
        body.put("status", refusal.status().value());
        body.put("detail", refusal.detail().orElse(refusal.error().advice()));
        body.put("instance", instance(exchange.getRequest()));
        body.put("error", refusal.error().code());
        return writeBody(response, json.writeValueAsBytes(body));
    }

    /** Counts a refused public request once, by its problem {@code error} code. */
    public static void countDenial(MeterRegistry meters, DownloadRefused refusal) {
        meters.counter("drawbridge.denials", "reason", refusal.error().code()).increment();
    }

    /** The problem {@code instance}: the request path, with any token or grant replaced by its placeholder. */
    static String instance(ServerHttpRequest request) {
        String path = request.getPath().pathWithinApplication().value();
        if (path.startsWith("/d/")) {
            return "/d/{token}";
        }
        if (path.startsWith("/dl/")) {
            return "/dl/{grant}";
        }
        return path;
    }

    static boolean wantsProblem(ServerHttpRequest request) {
        String path = request.getPath().pathWithinApplication().value();
        if (path.startsWith("/api/")) {
            return true;
        }
        List<MediaType> accept = request.getHeaders().getAccept();
        boolean html = accept.stream().anyMatch(t -> t.isCompatibleWith(MediaType.TEXT_HTML) && !t.isWildcardType());
        boolean json = accept.stream()
                .anyMatch(t -> !t.isWildcardType()
                        && (t.isCompatibleWith(MediaType.APPLICATION_JSON)
                                || t.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)));
        return json && !html;
    }

    private ServerHttpResponse prepare(ServerWebExchange exchange, DownloadRefused refusal) {
        countDenial(meters, refusal);
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(refusal.status());
        HttpHeaders headers = response.getHeaders();
        headers.remove(HttpHeaders.CONTENT_DISPOSITION);
        headers.remove(HttpHeaders.CONTENT_RANGE);
        headers.remove(HttpHeaders.ETAG);
        refusal.retryAfter()
                .ifPresent(d -> headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, d.toSeconds()))));
        return response;
    }

    private static Mono<Void> writeBody(ServerHttpResponse response, byte[] bytes) {
        response.getHeaders().setContentLength(bytes.length);
        DataBuffer buffer = response.bufferFactory().wrap(bytes);
        return response.writeWith(Mono.just(buffer));
    }
}
