package io.drawbridge.file.shared.web;

import io.drawbridge.file.shared.Rejection;
import io.drawbridge.file.storage.StorageUnavailableException;
import io.drawbridge.platform.web.ProblemException;
import java.time.Duration;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Turns the domain's refusals into the platform's problem responses (the domain knows no HTTP). */
public final class Problems {

    private static final Duration STORAGE_RETRY = Duration.ofSeconds(5);

    private Problems() {}

    /** Runs {@code handler} (even its synchronous refusals) and translates what it refuses. */
    public static <T> Mono<T> answer(Supplier<Mono<T>> handler) {
        return Mono.defer(handler).onErrorMap(Problems::translatable, Problems::toProblem);
    }

    public static <T> Flux<T> answerMany(Supplier<Flux<T>> handler) {
        return Flux.defer(handler).onErrorMap(Problems::translatable, Problems::toProblem);
    }

    private static boolean translatable(Throwable e) {
        return e instanceof Rejection || e instanceof StorageUnavailableException;
    }

    public static ProblemException toProblem(Throwable e) {
        if (e instanceof StorageUnavailableException storage) {
            return new ProblemException(
                            HttpStatus.SERVICE_UNAVAILABLE,
                            "storage_unavailable",
                            "Object storage is unavailable; nothing was stored. Try again later.",
                            storage)
                    .retryAfter(STORAGE_RETRY);
        }
        Rejection rejection = (Rejection) e;
        HttpStatus status =
                switch (rejection.kind()) {
                    case INVALID -> HttpStatus.BAD_REQUEST;
                    case NOT_FOUND -> HttpStatus.NOT_FOUND;
                    case CONFLICT -> HttpStatus.CONFLICT;
                    case GONE -> HttpStatus.GONE;
                    case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
                    case UNSUPPORTED_TYPE -> HttpStatus.UNSUPPORTED_MEDIA_TYPE;
                    case UNPROCESSABLE -> HttpStatus.UNPROCESSABLE_CONTENT;
                    case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
                };
        ProblemException problem = new ProblemException(status, rejection.error(), rejection.detail());
        return status == HttpStatus.SERVICE_UNAVAILABLE ? problem.retryAfter(STORAGE_RETRY) : problem;
    }
}
