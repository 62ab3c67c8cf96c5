package io.drawbridge.console.webhook;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a failed delivery is tried again: the n-th wait of the schedule after the n-th failed attempt, stretched by up
 * to 10 % at random so that the deliveries of one outage do not all come back in the same second; none after the
 * last wait (the delivery has failed; a seller may still send it again by hand).
 */
record RetrySchedule(List<Duration> waits) {

    /** The wait after {@code attempts} failed attempts, or empty when none is left. */
    Optional<Duration> after(int attempts) {
        if (attempts < 1 || attempts > waits.size()) {
            return Optional.empty();
        }
        Duration wait = waits.get(attempts - 1);
        long jitter =
                (long) (wait.toMillis() * 0.1 * ThreadLocalRandom.current().nextDouble());
        return Optional.of(wait.plusMillis(jitter));
    }

    int maxAttempts() {
        return waits.size() + 1;
    }
}
