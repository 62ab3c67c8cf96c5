package io.drawbridge.gateway.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Everything the gateway needs to know about its neighbours and its public face. Secrets and addresses come
 * from the environment (see application.yml); nothing secret has a default here, so a gateway started without
 * them fails at boot instead of signing grants with a guessable key.
 *
 * @param publicUrl external base URL, used in the JSON API's absolute {@code download_url}
 * @param grantSecret HMAC-SHA256 key for grant URLs, shared by every gateway instance
 * @param bindGrantToIp when true a grant URL only works from the client address that redeemed it
 * @param redeemTimeout how long a redemption waits for token-service's reply on Kafka
 * @param retryAfter what {@code Retry-After} says when a dependency is unavailable
 * @param trustedProxies CIDR ranges (or single addresses) of the proxies in front whose {@code X-Forwarded-For} is
 *     believed; empty (the default) believes none and every client address is the connection's peer
 * @param hstsMaxAge {@code Strict-Transport-Security} max-age, sent when {@code publicUrl} is https (0 = never)
 * @param instanceId this instance's id (DownloadRequested.gatewayId, reply consumer group); blank = generated
 * @param streams limits on download streams in flight
 */
@Validated
@ConfigurationProperties("drawbridge.gateway")
public record GatewayProperties(
        @NotNull URI publicUrl,
        @NotBlank @Size(min = 32, message = "must be at least 32 characters") String grantSecret,
        @DefaultValue("false") boolean bindGrantToIp,
        @DefaultValue("3s") Duration redeemTimeout,
        @DefaultValue("5s") Duration retryAfter,
        @DefaultValue({}) @NotNull List<String> trustedProxies,
        @DefaultValue("365d") @NotNull Duration hstsMaxAge,
        @DefaultValue("") String instanceId,
        @Valid @DefaultValue Seller seller,
        @Valid @NotNull TokenService tokenService,
        @Valid @NotNull Storage storage,
        @Valid @DefaultValue RateLimit rateLimit,
        @Valid @DefaultValue Zip zip,
        @Valid @NotNull Reports reports,
        @Valid @DefaultValue Streams streams) {

    /**
     * The durable path of delivery reports ({@code DeliveryReports}).
     *
     * @param spool where reports Kafka could not take wait for the next try (keep it on a volume that outlives the
     *     process)
     * @param resendInterval how often the spool is sent again
     */
    public record Reports(@NotNull Path spool, @DefaultValue("10s") Duration resendInterval) {}

    /**
     * Branding of the public pages.
     *
     * @param name shown in the page header and title
     * @param colour accent colour, {@code #rrggbb} only (it is written into the page's stylesheet)
     */
    public record Seller(
            @DefaultValue("Drawbridge") @NotBlank @Size(max = 80) String name,
            @DefaultValue("#1f4e79") @Pattern(regexp = "#[0-9a-fA-F]{6}") String colour) {}

    /**
     * token-service's HTTP API (landing-page details, grant look-ups and byte leases).
     *
     * @param serviceToken bearer token for {@code /internal/**}
     * @param leaseWindow how many bytes a response leases at a time before it sends them: larger means fewer calls,
     *     smaller means a response that is cut off or stopped holds less of the grant's bytes
     */
    public record TokenService(
            @NotNull URI url,
            @NotBlank String serviceToken,
            @DefaultValue("2s") Duration timeout,
            @DefaultValue("8MB") DataSize leaseWindow) {}

    /**
     * The S3-compatible store the files live in.
     *
     * @param region signing region; always set, so that presigning never asks the store where a bucket lives
     * @param bufferSize size of one buffer the ZIP writer reads from storage and writes to the client (single
     *     files pass through in the buffers the network delivers them in)
     * @param connectTimeout bound on opening a connection to the store
     * @param openTimeout bound on the store's answer (status and headers) to an object read; the body itself has no
     *     deadline, a slow client may take as long as it needs
     * @param readStallTimeout a body that stops arriving while the gateway asks for it fails after this long (a
     *     slow client, which stops the asking, never counts)
     * @param maxConnections connections to the store at once (one per streamed file); more wait for a free one
     *     up to {@code openTimeout}
     */
    public record Storage(
            @NotBlank String endpoint,
            @NotBlank String accessKey,
            @NotBlank String secretKey,
            @DefaultValue("drawbridge") @NotBlank String bucket,
            @DefaultValue("us-east-1") @NotBlank String region,
            @DefaultValue("64KB") DataSize bufferSize,
            @DefaultValue("5s") Duration connectTimeout,
            @DefaultValue("10s") Duration openTimeout,
            @DefaultValue("60s") Duration readStallTimeout,
            @DefaultValue("1000") @Min(1) int maxConnections) {}

    /**
     * Per-client-address token buckets on the link endpoints. Viewing a link's page ({@code GET}/{@code HEAD
     * /d/{token}}) is a cheap read that mail scanners, unfurlers and people reloading do often; redeeming ({@code POST
     * /d/{token}}, {@code POST /api/v1/downloads}) is a round trip to token-service. They are limited apart, so that
     * looking at a link never costs the visitor the redeem that follows.
     *
     * @param pages the bucket for landing-page views (application.yml: 60, then one a second)
     * @param redemptions the bucket for redeems (application.yml: 20, then one every 3 s)
     * @param maxClients addresses remembered at once per bucket (least recently seen are forgotten first)
     * @param shareUploads one-time shares created ({@code POST /share}, {@code POST /api/v1/shares}) per address
     *     (application.yml: 5, then one every 12 minutes: 5 an hour)
     * @param shareUploadMebibytes the size of those uploads, one token per started MiB of the request body (its
     *     {@code Content-Length}; a body without one costs the whole bucket). application.yml: 2048, then one every
     *     1.76 s: 2 GiB an hour
     * @param shareReads reads of shares ({@code POST /s/{token}}, {@code POST /api/v1/shares/read}), password tries
     *     included (application.yml: 60, then one a second). Share pages ({@code GET /s/{token}}, {@code GET
     *     /api/v1/shares/{token}}) draw on {@code pages}
     */
    public record RateLimit(
            @DefaultValue("true") boolean enabled,
            @Valid @NotNull Bucket pages,
            @Valid @NotNull Bucket redemptions,
            @DefaultValue("100000") @Min(1) int maxClients,
            @Valid @NotNull Bucket shareUploads,
            @Valid @NotNull Bucket shareUploadMebibytes,
            @Valid @NotNull Bucket shareReads) {}

    /**
     * A token bucket.
     *
     * @param capacity burst size
     * @param refillPeriod one request is added back every period
     */
    public record Bucket(@Min(1) int capacity, @NotNull Duration refillPeriod) {}

    /**
     * Several items are sent as one streamed ZIP.
     *
     * @param compressionLevel 0 (store) to 9; 1 costs little CPU and helps text files
     * @param defaultName file name when token-service gives no archive name
     */
    public record Zip(
            @DefaultValue("1") @Min(0) int compressionLevel, @DefaultValue("download.zip") String defaultName) {}

    /**
     * When the gateway refuses to start another download stream (503 {@code storage_unavailable} with {@code
     * Retry-After}, before anything is sent), so that the streams in flight never run out of memory. A stream holds
     * a few buffers whatever its client's speed (at most about 256 KB), so the limits are about memory, not time.
     *
     * @param maxConcurrent download streams ({@code GET /dl/**}) at once on this instance
     * @param directMemoryHeadroom direct memory that must be left below the JVM's limit for a new stream to start
     */
    public record Streams(
            @DefaultValue("1000") @Min(1) int maxConcurrent,
            @DefaultValue("64MB") @NotNull DataSize directMemoryHeadroom) {}
}
