package io.drawbridge.file.share.config;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * One-time shares ({@code drawbridge.file.share.*}).
 *
 * @param maxFileSize largest shared file
 * @param maxTextSize largest shared text (UTF-8 bytes)
 * @param defaultExpiry, minExpiry, maxExpiry how long a share lives when the sharer does not say, and the bounds
 * @param maxReads the most reads a sharer may allow
 * @param passwordTries wrong passwords before a share is locked (kept, never deleted by guessing)
 * @param grantTtl how long a file read's download URL works (resuming within it takes no second read)
 * @param restartSlack bytes a share may send beyond size × reads, so that a download that broke off can start over
 *     (larger files resume with Range)
 * @param sweepInterval how often expired shares are deleted
 * @param argonMemory, argonIterations Argon2id's cost for passwords
 * @param lifecycleRule whether file-service adds a rule to the bucket's lifecycle that deletes share objects a day
 *     after the longest a share may live (a backstop for the sweep; other rules of the bucket are kept). Off where
 *     the bucket's lifecycle is managed elsewhere
 */
@Validated
@ConfigurationProperties("drawbridge.file.share")
public record ShareProperties(
        @DefaultValue("2GB") @NotNull DataSize maxFileSize,
        @DefaultValue("1MB") @NotNull DataSize maxTextSize,
        @DefaultValue("24h") @NotNull Duration defaultExpiry,
        @DefaultValue("5m") @NotNull Duration minExpiry,
        @DefaultValue("7d") @NotNull Duration maxExpiry,
        @DefaultValue("100") @Min(1) int maxReads,
        @DefaultValue("5") @Min(1) int passwordTries,
        @DefaultValue("1h") @NotNull Duration grantTtl,
        @DefaultValue("8MB") @NotNull DataSize restartSlack,
        @DefaultValue("5s") @NotNull Duration sweepInterval,
        @DefaultValue("19MB") @NotNull DataSize argonMemory,
        @DefaultValue("2") @Min(1) int argonIterations,
        @DefaultValue("true") boolean lifecycleRule) {

    /** Days after which the bucket deletes a share's object: the longest life, a grant's time, and a day. */
    public int lifecycleDays() {
        Duration keep = maxExpiry.plus(grantTtl).plusDays(1);
        return Math.toIntExact((keep.toHours() + 23) / 24);
    }
}
