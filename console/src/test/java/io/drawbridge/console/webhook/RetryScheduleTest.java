package io.drawbridge.console.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.RepeatedTest;

class RetryScheduleTest {

    private final RetrySchedule schedule =
            new RetrySchedule(List.of(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofHours(10)));

    @RepeatedTest(20)
    void theNthFailureWaitsTheNthStepStretchedByAtMostATenthThenNoneIsLeft() {
        assertThat(schedule.after(1)).hasValueSatisfying(wait -> assertThat(wait)
                .isBetween(Duration.ofSeconds(5), Duration.ofMillis(5_500)));
        assertThat(schedule.after(2))
                .hasValueSatisfying(wait -> assertThat(wait).isBetween(Duration.ofMinutes(5), Duration.ofSeconds(330)));
        assertThat(schedule.after(3))
                .hasValueSatisfying(wait -> assertThat(wait).isBetween(Duration.ofHours(10), Duration.ofHours(11)));
        assertThat(schedule.after(4)).isEmpty();
        assertThat(schedule.after(0)).isEmpty();
        assertThat(schedule.maxAttempts()).isEqualTo(4);
    }
}
