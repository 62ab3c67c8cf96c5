package io.drawbridge.gateway.share;

import io.netty.channel.ChannelOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.util.retry.Retry;

/**
 * file-service's share API. Bodies stream both ways (an upload is forwarded as it arrives, a download as file-service
 * decrypts it). Tokens and grant keys go in bodies and headers, never in URLs.
 */
@Component
class ShareClient {

    private static final Logger log = LoggerFactory.getLogger(ShareClient.class);
    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {};
    static final String GRANT_KEY_HEADER = "X-Share-Grant-Key";

    private final WebClient fileService;
    private final Duration timeout;

    ShareClient(WebClient.Builder builder, ShareProperties properties) {
        HttpClient http = HttpClient.create().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                properties.timeout().toMillis());
        this.fileService = builder.clone()
                .baseUrl(properties.fileServiceUrl().toString())
                .clientConnector(new ReactorClientHttpConnector(http))
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + properties.serviceToken())
                .build();
        this.timeout = properties.timeout();
    }

    /** Forwards a multipart body as it arrives; file-service's answer ({@code id, token, expires_at, ...}). */
    Mono<Map<String, Object>> create(MediaType contentType, long contentLength, Flux<DataBuffer> body) {
        return fileService
                .post()
                .uri("/internal/v1/shares")
                .headers(headers -> {
                    headers.setContentType(contentType);
                    if (contentLength >= 0) {
                        headers.setContentLength(contentLength);
                    }
                })
                .body(BodyInserters.fromDataBuffers(body))
                .exchangeToMono(ShareClient::json)
                .onErrorMap(ShareClient::unavailable);
    }

    Mono<Map<String, Object>> lookup(String token) {
        return call("/internal/v1/shares/lookup", Map.of("token", token));
    }

    Mono<Map<String, Object>> read(String token, String password) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", token);
        if (password != null && !password.isEmpty()) {
            body.put("password", password);
        }
        return call("/internal/v1/shares/read", body);
    }

    /** A granted file's bytes {@code [start, end)} (null: to its end), decrypted, with its headers. */
    Mono<ResponseEntity<Flux<DataBuffer>>> content(String grantId, String grantKey, long start, Long end) {
        return fileService
                .get()
                .uri(uri -> uri.path("/internal/v1/shares/grants/{grant}/content")
                        .queryParam("start", start)
                        .queryParamIfPresent("end", java.util.Optional.ofNullable(end))
                        .build(grantId))
                .header(GRANT_KEY_HEADER, grantKey)
                .retrieve()
                .onStatus(status -> !status.is2xxSuccessful(), ShareClient::refusal)
                .toEntityFlux(DataBuffer.class)
                .timeout(timeout)
                .onErrorMap(ShareClient::unavailable);
    }

    /** Tells file-service what a response delivered; retried for about a minute, then logged. */
    void delivered(String grantId, long start, long end, long sent, boolean complete) {
        fileService
                .post()
                .uri("/internal/v1/shares/grants/{grant}/deliveries", grantId)
                .bodyValue(Map.of("start", start, "end", end, "sent", sent, "complete", complete))
                .retrieve()
                .toBodilessEntity()
                .timeout(timeout)
                .retryWhen(Retry.backoff(8, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(10)))
                .subscribe(null, e -> log.warn("Could not report a share delivery: {}", e.toString()));
    }

    private Mono<Map<String, Object>> call(String path, Map<String, Object> body) {
        return fileService
                .post()
                .uri(path)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchangeToMono(ShareClient::json)
                .timeout(timeout)
                .onErrorMap(ShareClient::unavailable);
    }

    private static Mono<Map<String, Object>> json(ClientResponse response) {
        if (response.statusCode().is2xxSuccessful()) {
            return response.bodyToMono(JSON);
        }
        return refusal(response).flatMap(Mono::error);
    }

    private static Mono<? extends Throwable> refusal(ClientResponse response) {
        HttpStatus status = HttpStatus.valueOf(response.statusCode().value());
        return response.bodyToMono(JSON)
                .onErrorResume(e -> Mono.empty())
                .defaultIfEmpty(Map.of())
                .map(problem -> problem.containsKey("error")
                        ? new ShareRefusal(status, problem)
                        : ShareRefusal.of(
                                HttpStatus.SERVICE_UNAVAILABLE,
                                "storage_unavailable",
                                "Shares are unavailable just now. Try again in a few seconds."));
    }

    private static Throwable unavailable(Throwable e) {
        if (e instanceof ShareRefusal) {
            return e;
        }
        log.warn("file-service share call failed: {}", e.getClass().getSimpleName());
        return ShareRefusal.of(
                HttpStatus.SERVICE_UNAVAILABLE,
                "storage_unavailable",
                "Shares are unavailable just now. Try again in a few seconds.");
    }
}
