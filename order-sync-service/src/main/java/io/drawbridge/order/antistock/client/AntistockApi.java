package io.drawbridge.order.antistock.client;

import io.drawbridge.order.config.OrderSyncProperties;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.ratelimiter.operator.RateLimiterOperator;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Antistock's REST API: {@code GET /v1/customers?page=&per_page=} and {@code GET
 * /v1/orders?updated_since=&page=&per_page=}, each page {@code {"data": [...], "meta": {"next_page": n|null}}},
 * bearer-authenticated. Every page request goes through the Resilience4j instances named {@code antistock}
 * (configured in application.yml): a rate limiter, a circuit breaker and, outermost, a retry with exponential
 * backoff. A 429 waits out its {@code Retry-After} (up to a configured maximum) before the retry.
 */
@Component
public class AntistockApi {

    /** The Resilience4j instance name of the retry, circuit breaker and rate limiter. */
    public static final String INSTANCE = "antistock";

    private final WebClient client;
    private final OrderSyncProperties.Antistock properties;
    private final JsonMapper json;
    private final Retry retry;
    private final CircuitBreaker circuitBreaker;
    private final RateLimiter rateLimiter;
    private final Clock clock;

    public AntistockApi(
            OrderSyncProperties properties,
            JsonMapper json,
            RetryRegistry retries,
            CircuitBreakerRegistry circuitBreakers,
            RateLimiterRegistry rateLimiters,
            Clock clock) {
        this.properties = properties.antistock();
        this.json = json;
        this.retry = retries.retry(INSTANCE);
        this.circuitBreaker = circuitBreakers.circuitBreaker(INSTANCE);
        this.rateLimiter = rateLimiters.rateLimiter(INSTANCE);
        this.clock = clock;
        this.client = WebClient.builder()
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024))
                .build();
    }

    public boolean configured() {
        return properties.configured();
    }

    /** The circuit breaker's state, for the sync's logs and metrics. */
    public CircuitBreaker.State circuitState() {
        return circuitBreaker.getState();
    }

    /** Every customer, all pages. */
    public Flux<AntistockCustomer> customers() {
        return pages(page ->
                        uri("/v1/customers").queryParam("page", page).queryParam("per_page", properties.pageSize()))
                .map(this::customer);
    }

    /** Every order updated since {@code since}, all pages. */
    public Flux<AntistockOrder> ordersUpdatedSince(Instant since) {
        return pages(page -> uri("/v1/orders")
                        .queryParam("updated_since", DateTimeFormatter.ISO_INSTANT.format(since))
                        .queryParam("page", page)
                        .queryParam("per_page", properties.pageSize()))
                .map(this::order);
    }

    private UriComponentsBuilder uri(String path) {
        return UriComponentsBuilder.fromUri(properties.baseUrl()).path(path);
    }

    private Flux<JsonNode> pages(Function<Integer, UriComponentsBuilder> pageUri) {
        return resilient(pageUri.apply(1).encode().build().toUri())
                .expand(page -> {
                    JsonNode next = page.path("meta").path("next_page");
                    if (!next.isIntegralNumber() || next.asInt() < 1) {
                        return Mono.empty();
                    }
                    return resilient(
                            pageUri.apply(next.asInt()).encode().build().toUri());
                })
                .concatMapIterable(page -> page.path("data"));
    }

    private Mono<JsonNode> resilient(URI uri) {
        return Mono.defer(() -> fetch(uri))
                .transformDeferred(RateLimiterOperator.of(rateLimiter))
                .transformDeferred(CircuitBreakerOperator.of(circuitBreaker))
                .transformDeferred(RetryOperator.of(retry));
    }

    private Mono<JsonNode> fetch(URI uri) {
        String path = uri.getPath();
        return client.get()
                .uri(uri)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + properties.apiToken())
                .accept(MediaType.APPLICATION_JSON)
                .exchangeToMono(response -> read(response, path))
                .timeout(properties.requestTimeout())
                .onErrorMap(
                        TimeoutException.class,
                        e -> new AntistockUnavailableException(
                                "Antistock did not answer GET " + path + " within " + properties.requestTimeout(), e))
                .onErrorMap(
                        WebClientRequestException.class,
                        e -> new AntistockUnavailableException(
                                "Antistock unreachable for GET " + path + ": " + e.getMessage(), e))
                // Honour Retry-After (outside the request timeout): the failed attempt ends once the wait is over,
                // then the retry's own backoff applies.
                .onErrorResume(Throttled.class, t -> Mono.delay(t.wait)
                        .then(Mono.error(AntistockUnavailableException.throttled(t.path, t.wait))));
    }

    /** A 429 whose Retry-After is still to be waited out. */
    private static final class Throttled extends RuntimeException {
        private final String path;
        private final Duration wait;

        Throttled(String path, Duration wait) {
            super(null, null, false, false);
            this.path = path;
            this.wait = wait;
        }
    }

    private Mono<JsonNode> read(ClientResponse response, String path) {
        int status = response.statusCode().value();
        if (response.statusCode().is2xxSuccessful()) {
            return response.bodyToMono(String.class).defaultIfEmpty("").map(body -> {
                JsonNode page = json.readTree(body);
                if (!page.path("data").isArray()) {
                    throw new AntistockRejectedException("Antistock answered GET " + path + " without a data array");
                }
                return page;
            });
        }
        Mono<Void> drained = response.releaseBody();
        if (status == HttpStatus.TOO_MANY_REQUESTS.value()) {
            Duration wait = retryAfter(response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER));
            if (wait.compareTo(properties.maxRetryAfter()) > 0) {
                return drained.then(Mono.error(new AntistockRejectedException("Antistock throttled GET " + path
                        + " for " + wait.toSeconds() + "s, longer than " + properties.maxRetryAfter())));
            }
            return drained.then(Mono.error(new Throttled(path, wait)));
        }
        if (response.statusCode().is5xxServerError() || status == HttpStatus.REQUEST_TIMEOUT.value()) {
            return drained.then(
                    Mono.error(new AntistockUnavailableException("Antistock answered " + status + " to GET " + path)));
        }
        return drained.then(
                Mono.error(new AntistockRejectedException("Antistock answered " + status + " to GET " + path)));
    }

    /** {@code Retry-After} as delta-seconds or an HTTP date; one second when absent or unreadable. */
    Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return Duration.ofSeconds(1);
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.strip())));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(header.strip(), DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                Duration wait = Duration.between(clock.instant(), at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException notDate) {
                return Duration.ofSeconds(1);
            }
        }
    }

    private AntistockCustomer customer(JsonNode node) {
        return new AntistockCustomer(text(node, "id"), text(node, "email"), text(node, "name"));
    }

    private AntistockOrder order(JsonNode node) {
        List<AntistockOrder.Item> items = new ArrayList<>();
        node.path("items")
                .forEach(item -> items.add(new AntistockOrder.Item(
                        text(item, "id"),
                        text(item, "sku"),
                        text(item, "product_id"),
                        text(item, "name"),
                        Math.max(1, item.path("quantity").asInt(1)))));
        String id = text(node, "id");
        if (id == null) {
            throw new AntistockRejectedException("Antistock listed an order without an id");
        }
        Instant updatedAt;
        try {
            updatedAt = node.path("updated_at").isString()
                    ? Instant.parse(node.path("updated_at").asString())
                    : null;
        } catch (DateTimeParseException e) {
            updatedAt = null;
        }
        JsonNode total = node.path("total_cents");
        return new AntistockOrder(
                id,
                text(node, "customer_id"),
                text(node, "customer_email"),
                text(node, "status"),
                text(node, "currency"),
                total.isIntegralNumber() ? total.asLong() : null,
                items,
                updatedAt);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isString()) {
            String s = value.asString().strip();
            return s.isEmpty() ? null : s;
        }
        return value.isNumber() ? value.asString() : null;
    }
}
