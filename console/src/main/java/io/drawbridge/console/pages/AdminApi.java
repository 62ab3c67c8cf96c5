package io.drawbridge.console.pages;

import io.drawbridge.console.config.ConsoleProperties;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.util.UriBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The other services' admin APIs, called with the admin token on behalf of the signed-in seller (the console is the
 * one place that holds it besides operators). A refusal comes back as an {@link ApiRefusal} carrying the problem's
 * {@code error} code and detail, which the pages show as they are.
 */
@Component
class AdminApi {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {};
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    enum Target {
        TOKENS,
        FILES,
        AUDIT
    }

    private final Map<Target, WebClient> clients;

    AdminApi(ConsoleProperties properties, WebClient.Builder builder) {
        this.clients = Map.of(
                Target.TOKENS, client(builder, properties.tokenServiceUrl(), properties.adminToken()),
                Target.FILES, client(builder, properties.fileServiceUrl(), properties.adminToken()),
                Target.AUDIT, client(builder, properties.auditServiceUrl(), properties.adminToken()));
    }

    private static WebClient client(WebClient.Builder builder, URI base, String token) {
        return builder.clone()
                .baseUrl(base.toString())
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(4 * 1024 * 1024))
                .build();
    }

    Mono<Map<String, Object>> get(Target target, String path, MultiValueMap<String, String> query) {
        return clients.get(target)
                .get()
                .uri(uri -> build(uri, path, query))
                .accept(MediaType.APPLICATION_JSON)
                .exchangeToMono(AdminApi::json)
                .timeout(TIMEOUT)
                .onErrorMap(AdminApi::unreachable, e -> unavailable(target));
    }

    Mono<Map<String, Object>> post(Target target, String path, Object body) {
        return clients.get(target)
                .post()
                .uri(path)
                .contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.APPLICATION_JSON)
                .bodyValue(body == null ? Map.of() : body)
                .exchangeToMono(AdminApi::json)
                .timeout(TIMEOUT)
                .onErrorMap(AdminApi::unreachable, e -> unavailable(target));
    }

    /** {@code path} is a URI template: its {@code {variables}} are filled (and encoded) from {@code values}. */
    Mono<Map<String, Object>> put(Target target, String path, Object body, Object... values) {
        return clients.get(target)
                .put()
                .uri(path, values)
                .contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.APPLICATION_JSON)
                .bodyValue(body == null ? Map.of() : body)
                .exchangeToMono(AdminApi::json)
                .timeout(TIMEOUT)
                .onErrorMap(AdminApi::unreachable, e -> unavailable(target));
    }

    /** {@code path} is a URI template: its {@code {variables}} are filled (and encoded) from {@code values}. */
    Mono<Map<String, Object>> delete(Target target, String path, Object... values) {
        return clients.get(target)
                .delete()
                .uri(path, values)
                .accept(MediaType.APPLICATION_JSON)
                .exchangeToMono(AdminApi::json)
                .timeout(TIMEOUT)
                .onErrorMap(AdminApi::unreachable, e -> unavailable(target));
    }

    /** A CSV answer passed through as it streams (no rows held in the console). */
    Flux<DataBuffer> csv(Target target, String path, MultiValueMap<String, String> query) {
        return clients.get(target)
                .get()
                .uri(uri -> build(uri, path, query))
                .accept(MediaType.parseMediaType("text/csv"))
                .exchangeToFlux(response -> response.statusCode().is2xxSuccessful()
                        ? response.bodyToFlux(DataBuffer.class)
                        : refusal(response).flux().cast(DataBuffer.class));
    }

    /** The service did not answer (refused connection, timeout): not a refusal of the request, but shown as one. */
    private static boolean unreachable(Throwable e) {
        return e instanceof WebClientRequestException || e instanceof java.util.concurrent.TimeoutException;
    }

    private static ApiRefusal unavailable(Target target) {
        return new ApiRefusal(
                503,
                "service_unavailable",
                target.name().toLowerCase(java.util.Locale.ROOT) + " service cannot be reached; try again shortly");
    }

    private static URI build(UriBuilder uri, String path, MultiValueMap<String, String> query) {
        uri.path(path);
        if (query != null) {
            query.forEach((name, values) -> values.stream()
                    .filter(value -> value != null && !value.isBlank())
                    .forEach(value -> uri.queryParam(name, "{" + name + "}")));
        }
        return uri.build(query == null ? Map.of() : query.toSingleValueMap());
    }

    private static Mono<Map<String, Object>> json(ClientResponse response) {
        if (response.statusCode().is2xxSuccessful()) {
            return response.bodyToMono(JSON).defaultIfEmpty(Map.of());
        }
        return refusal(response);
    }

    private static <T> Mono<T> refusal(ClientResponse response) {
        return response.bodyToMono(JSON)
                .defaultIfEmpty(Map.of())
                .onErrorResume(e -> Mono.just(Map.of()))
                .flatMap(problem -> Mono.error(new ApiRefusal(
                        response.statusCode().value(),
                        String.valueOf(problem.getOrDefault(
                                "error", "http_" + response.statusCode().value())),
                        String.valueOf(problem.getOrDefault("detail", "")))));
    }

    /** A service said no: its status, machine code and sentence. */
    static final class ApiRefusal extends RuntimeException {
        final int status;
        final String error;
        final String detail;

        ApiRefusal(int status, String error, String detail) {
            super(error + ": " + detail, null, false, false);
            this.status = status;
            this.error = error;
            this.detail = detail;
        }

        String message() {
            return error + (detail.isBlank() ? "" : ": " + detail);
        }
    }
}
