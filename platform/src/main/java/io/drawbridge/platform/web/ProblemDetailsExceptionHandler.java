package io.drawbridge.platform.web;

import io.drawbridge.platform.logging.TokenMask;
import jakarta.validation.ConstraintViolationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.validation.FieldError;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns every failure of a request into an RFC 9457 {@code application/problem+json} body with a stable {@code
 * type} and a machine {@code error} code: {@link ProblemException}s as thrown, validation failures as 400 {@code
 * validation_failed}, Spring's own statuses (404 for unknown routes, 405...) under their usual names, anything
 * else as 500 {@code internal_error} without a stack trace. A {@link WebExceptionHandler} rather than a
 * controller advice, so failures of filters and routing are covered too; runs before Boot's error handler.
 */
public class ProblemDetailsExceptionHandler implements WebExceptionHandler, Ordered {

    /** Prefix of every problem {@code type}. */
    public static final String TYPE_PREFIX = "https://drawbridge.dev/problems/";

    /** After Boot's {@code -1}-ordered error handler would be too late; before it is where this runs. */
    static final int ORDER = -2;

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsExceptionHandler.class);
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @Override
    public int getOrder() {
        return ORDER;
    }

    /** A client that closed its connection mid-request (a cancelled upload, a closed tab). */
    static boolean clientWentAway(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof reactor.netty.channel.AbortedException
                    || cause instanceof reactor.netty.http.client.PrematureCloseException) {
                return true;
            }
            if (cause instanceof java.io.IOException && cause.getMessage() != null) {
                String message = cause.getMessage();
                if (message.contains("Connection reset by peer") || message.contains("Broken pipe")) {
                    return true;
                }
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(failure);
        }
        String path = TokenMask.mask(exchange.getRequest().getPath().value());
        if (clientWentAway(failure)) {
            // Nobody is left to read an answer, and it is not our failure: no 500, no stack trace.
            log.debug("{} {}: the client went away ({})", exchange.getRequest().getMethod(), path, failure.toString());
            return Mono.empty();
        }
        Problem problem = problemOf(failure);
        if (!(failure instanceof ProblemException) && problem.status().is5xxServerError()) {
            log.error("{} {} failed", exchange.getRequest().getMethod(), path, failure);
        } else if (problem.status().is5xxServerError()) {
            // Expected outage (storage, token-service...): no stack of our own, but the underlying cause if any.
            log.warn(
                    "{} {} answered {}: {}",
                    exchange.getRequest().getMethod(),
                    path,
                    problem.error(),
                    problem.detail(),
                    failure.getCause());
        } else {
            log.debug("{} {} answered {}", exchange.getRequest().getMethod(), path, problem.error());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_PREFIX + problem.error());
        body.put("title", title(problem.status()));
        body.put("status", problem.status().value());
        if (problem.detail() != null) {
            body.put("detail", TokenMask.mask(problem.detail()));
        }
        body.put("instance", path);
        body.put("error", problem.error());
        if (!problem.errors().isEmpty()) {
            body.put("errors", problem.errors());
        }
        response.setStatusCode(problem.status());
        HttpHeaders headers = response.getHeaders();
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        headers.setCacheControl("no-store");
        if (problem.retryAfterSeconds() != null) {
            headers.set(HttpHeaders.RETRY_AFTER, problem.retryAfterSeconds().toString());
        }
        if (problem.status().value() == HttpStatus.UNAUTHORIZED.value()
                && !headers.containsHeader(HttpHeaders.WWW_AUTHENTICATE)) {
            headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"drawbridge\"");
        }
        if (failure instanceof ErrorResponse errorResponse) {
            errorResponse.getHeaders().forEach((name, values) -> {
                if (!name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE)) {
                    headers.put(name, values);
                }
            });
        }
        DataBuffer buffer = response.bufferFactory().wrap(MAPPER.writeValueAsBytes(body));
        if (HttpMethod.HEAD.equals(exchange.getRequest().getMethod())) {
            return response.setComplete();
        }
        return response.writeWith(Mono.just(buffer));
    }

    static Problem problemOf(Throwable failure) {
        if (failure instanceof ProblemException problem) {
            Long retryAfter = problem.retryAfter()
                    .map(duration -> Math.max(0, (duration.toMillis() + 999) / 1000))
                    .orElse(null);
            return new Problem(problem.status(), problem.error(), problem.detail(), retryAfter, List.of());
        }
        if (failure instanceof WebExchangeBindException bind) {
            List<Map<String, String>> errors = new ArrayList<>();
            for (FieldError field : bind.getFieldErrors()) {
                errors.add(fieldError(field.getField(), field.getDefaultMessage()));
            }
            bind.getGlobalErrors()
                    .forEach(global -> errors.add(fieldError(global.getObjectName(), global.getDefaultMessage())));
            return validation("The request is invalid.", errors);
        }
        if (failure instanceof HandlerMethodValidationException validation) {
            List<Map<String, String>> errors = new ArrayList<>();
            validation.getParameterValidationResults().forEach(result -> result.getResolvableErrors()
                    .forEach(error -> errors.add(
                            fieldError(result.getMethodParameter().getParameterName(), error.getDefaultMessage()))));
            return validation("The request is invalid.", errors);
        }
        if (failure instanceof ConstraintViolationException violations) {
            List<Map<String, String>> errors = new ArrayList<>();
            violations
                    .getConstraintViolations()
                    .forEach(violation ->
                            errors.add(fieldError(violation.getPropertyPath().toString(), violation.getMessage())));
            return validation("The request is invalid.", errors);
        }
        if (failure instanceof ServerWebInputException input) {
            return validation(
                    input.getReason() == null ? "The request could not be read." : input.getReason(), List.of());
        }
        if (failure instanceof ErrorResponse errorResponse) {
            HttpStatusCode code = errorResponse.getStatusCode();
            HttpStatus status = HttpStatus.resolve(code.value());
            if (status == null) {
                status = code.is4xxClientError() ? HttpStatus.BAD_REQUEST : HttpStatus.INTERNAL_SERVER_ERROR;
            }
            String detail =
                    status.is5xxServerError() ? null : errorResponse.getBody().getDetail();
            return new Problem(status, errorCode(status), detail, null, List.of());
        }
        return new Problem(
                HttpStatus.INTERNAL_SERVER_ERROR, "internal_error", "An unexpected error occurred.", null, List.of());
    }

    private static Problem validation(String detail, List<Map<String, String>> errors) {
        return new Problem(HttpStatus.BAD_REQUEST, "validation_failed", detail, null, errors);
    }

    private static Map<String, String> fieldError(String field, String message) {
        Map<String, String> error = new LinkedHashMap<>();
        error.put("field", field);
        error.put("message", message == null ? "is invalid" : message);
        return error;
    }

    private static String errorCode(HttpStatus status) {
        return switch (status) {
            case NOT_FOUND -> "not_found";
            case METHOD_NOT_ALLOWED -> "method_not_allowed";
            case NOT_ACCEPTABLE -> "not_acceptable";
            case UNSUPPORTED_MEDIA_TYPE -> "unsupported_media_type";
            case PAYLOAD_TOO_LARGE, CONTENT_TOO_LARGE -> "payload_too_large";
            case UNAUTHORIZED -> "unauthorized";
            case FORBIDDEN -> "forbidden";
            case CONFLICT -> "conflict";
            case TOO_MANY_REQUESTS -> "rate_limited";
            case SERVICE_UNAVAILABLE -> "service_unavailable";
            default -> status.is4xxClientError() ? "bad_request" : "internal_error";
        };
    }

    private static String title(HttpStatus status) {
        return status.getReasonPhrase();
    }

    record Problem(
            HttpStatus status, String error, String detail, Long retryAfterSeconds, List<Map<String, String>> errors) {}
}
