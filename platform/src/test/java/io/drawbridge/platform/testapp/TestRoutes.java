package io.drawbridge.platform.testapp;

import io.drawbridge.platform.web.ProblemException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Routes of each kind the platform guards or renders errors for. */
@RestController
class TestRoutes {

    private static final Logger log = LoggerFactory.getLogger(TestRoutes.class);

    record NewThing(@NotBlank String name, @Min(1) int copies) {}

    @GetMapping("/api/v1/things/{id}")
    Map<String, String> thing(@PathVariable String id) {
        return Map.of("id", id);
    }

    @PostMapping("/api/v1/things")
    Mono<Map<String, Object>> create(@Valid @RequestBody NewThing thing) {
        return Mono.just(Map.of("name", thing.name(), "copies", thing.copies()));
    }

    @GetMapping("/api/v1/open/ping")
    Map<String, String> openPing() {
        return Map.of("pong", "open");
    }

    @GetMapping("/internal/v1/ping")
    Map<String, String> internalPing() {
        return Map.of("pong", "internal");
    }

    @GetMapping("/public/unavailable")
    Mono<Void> unavailable() {
        return Mono.error(new ProblemException(
                        HttpStatus.SERVICE_UNAVAILABLE, "storage_unavailable", "Object storage does not answer.")
                .retryAfter(Duration.ofMillis(29_500)));
    }

    @GetMapping("/public/boom")
    Mono<Void> boom() {
        return Mono.error(new IllegalStateException("internal detail that must not leak"));
    }

    @GetMapping("/d/{token}")
    Mono<Void> landing(@PathVariable String token) {
        log.info("Landing page asked for {}", token);
        return Mono.error(new ProblemException(HttpStatus.UNAUTHORIZED, "invalid_token", "No such link."));
    }
}
