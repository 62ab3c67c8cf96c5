package io.drawbridge.token.config;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of token-service ({@code drawbridge.token.*}): the defaults a seller gets when a request leaves them
 * out, the ceilings that keep a typo from issuing a link for ten thousand downloads, and how long grants live.
 *
 * @param publicUrl the gateway's external base URL; links are {@code <publicUrl>/d/<token>}
 * @param defaultMaxDownloads downloads a link allows when the request does not say
 * @param defaultExpiresIn how long a link lives when the request does not say
 * @param maxDownloadsCeiling the most downloads one link may allow
 * @param maxExpiresIn the longest a link may live
 * @param batchMaxCount the most links one batch request may issue
 * @param grantTtl how long a grant (one reserved use) lives
 * @param grantSweepInterval how often grants past their expiry are released
 * @param redemptionRetention how long the answer to a download request is kept for redeliveries
 * @param leaseTtl how long a byte lease protects its window without a word from its gateway; past it the window
 *     counts as sent in full
 * @param resendAllowance the most bytes a grant may send a second time (a resume re-sends what was lost in flight);
 *     also capped at half the download, so that no grant can make a second copy
 * @param requestDeadlineGrace how long past the gateway's {@code answerBy} a download request is still decided: the
 *     allowance for the clocks of the gateway's and this service's hosts; a request older than that is dropped
 */
@Validated
@ConfigurationProperties("drawbridge.token")
public record TokenProperties(
        @NotBlank @DefaultValue("http://localhost:8080") String publicUrl,
        @Min(1) @DefaultValue("3") int defaultMaxDownloads,
        @NotNull @DefaultValue("24h") Duration defaultExpiresIn,
        @Min(1) @DefaultValue("1000") int maxDownloadsCeiling,
        @NotNull @DefaultValue("3650d") Duration maxExpiresIn,
        @Min(1) @DefaultValue("1000") int batchMaxCount,
        @NotNull @DefaultValue("1h") Duration grantTtl,
        @NotNull @DefaultValue("30s") Duration grantSweepInterval,
        @NotNull @DefaultValue("7d") Duration redemptionRetention,
        @NotNull @DefaultValue("10m") Duration leaseTtl,
        @NotNull @DefaultValue("64MB") DataSize resendAllowance,
        @NotNull @DefaultValue("1s") Duration requestDeadlineGrace) {

    /**
     * Bytes a grant of a download of {@code downloadSize} bytes may send again beyond the download itself: the resend
     * allowance, but never half the download or more.
     */
    public long resendAllowanceFor(long downloadSize) {
        return Math.min(resendAllowance.toBytes(), downloadSize / 2);
    }

    /** The public link of a token: {@code <publicUrl>/d/<token>}. */
    public String linkFor(String plaintextToken) {
        String base = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        return base + "/d/" + plaintextToken;
    }
}
