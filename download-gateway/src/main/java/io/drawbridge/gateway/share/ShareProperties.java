package io.drawbridge.gateway.share;

import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * One-time shares on the gateway ({@code drawbridge.gateway.shares.*}): file-service owns them; the gateway shows,
 * forwards and streams.
 *
 * @param fileServiceUrl file-service's internal API
 * @param serviceToken bearer token for it
 * @param timeout connect and first-answer bound of every call (uploads and downloads stream past it)
 * @param creators who may create shares: {@code anyone} (per-address upload buckets, {@code
 *     drawbridge.gateway.rate-limit.share-*}) or {@code api-key} (a seller's key with {@code shares:create})
 */
@Validated
@ConfigurationProperties("drawbridge.gateway.shares")
public record ShareProperties(
        @NotNull URI fileServiceUrl,
        String serviceToken,
        @DefaultValue("30s") @NotNull Duration timeout,
        @DefaultValue("anyone") @NotNull ShareCreators.Who creators) {

    @Override
    public String toString() {
        return "ShareProperties[fileServiceUrl=" + fileServiceUrl + ", timeout=" + timeout + ", creators=" + creators
                + "]";
    }
}
