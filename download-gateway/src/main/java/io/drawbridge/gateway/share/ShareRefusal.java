package io.drawbridge.gateway.share;

import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * file-service's refusal of a share request (its problem document, with the public codes: {@code invalid_token},
 * {@code wrong_password} + {@code tries_left}, {@code share_locked}, {@code share_gone}, ...), passed on as it is.
 */
final class ShareRefusal extends RuntimeException {

    private final HttpStatus status;
    private final Map<String, Object> problem;

    ShareRefusal(HttpStatus status, Map<String, Object> problem) {
        super(String.valueOf(problem.get("error")), null, false, false);
        this.status = status;
        this.problem = Map.copyOf(problem);
    }

    static ShareRefusal of(HttpStatus status, String error, String detail) {
        return new ShareRefusal(
                status,
                Map.of(
                        "type",
                        "https://drawbridge.dev/problems/" + error,
                        "title",
                        status.getReasonPhrase(),
                        "status",
                        status.value(),
                        "detail",
                        detail,
                        "error",
                        error));
    }

    HttpStatus status() {
        return status;
    }

    Map<String, Object> problem() {
        return problem;
    }

    String error() {
        return String.valueOf(problem.get("error"));
    }

    String detail() {
        Object detail = problem.get("detail");
        return detail == null ? "" : detail.toString();
    }

    Integer triesLeft() {
        return problem.get("tries_left") instanceof Number n ? n.intValue() : null;
    }
}
