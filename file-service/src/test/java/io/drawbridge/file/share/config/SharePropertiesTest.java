package io.drawbridge.file.share.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class SharePropertiesTest {

    private static ShareProperties with(Duration maxExpiry, Duration grantTtl) {
        return new ShareProperties(
                DataSize.ofGigabytes(2),
                DataSize.ofMegabytes(1),
                Duration.ofHours(24),
                Duration.ofMinutes(5),
                maxExpiry,
                100,
                5,
                grantTtl,
                DataSize.ofMegabytes(8),
                Duration.ofSeconds(5),
                DataSize.ofMegabytes(19),
                2,
                true);
    }

    @Test
    void theBucketKeepsAShareObjectPastItsLongestLifeAndItsLastGrantByADay() {
        assertThat(with(Duration.ofDays(7), Duration.ofHours(1)).lifecycleDays())
                .isEqualTo(9);
        assertThat(with(Duration.ofDays(1), Duration.ZERO).lifecycleDays()).isEqualTo(2);
        assertThat(with(Duration.ofHours(30), Duration.ofMinutes(30)).lifecycleDays())
                .isEqualTo(3);
    }
}
