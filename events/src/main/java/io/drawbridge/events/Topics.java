package io.drawbridge.events;

import java.util.List;

/**
 * Topic names, one per stream, versioned by major version so a breaking change gets a new topic instead of
 * surprising old consumers.
 */
public final class Topics {

    /** Redemption requests from the gateway; key = tokenHash, so one token's requests are handled in order. */
    public static final String DOWNLOAD_REQUESTS = "download-requests.v1";

    /** Grants and denials for the gateway; key = requestId. */
    public static final String DOWNLOAD_REPLIES = "download-replies.v1";

    /** What the gateway actually delivered; key = tokenId. */
    public static final String DOWNLOADS = "downloads.v1";

    /** Token lifecycle; key = tokenId. */
    public static final String TOKENS = "tokens.v1";

    /** Order status from the storefronts; key = orderId. */
    public static final String ORDERS = "orders.v1";

    /** Stored and deleted files; key = fileId. */
    public static final String FILES = "files.v1";

    /** Published releases and products' branding; key = sku. */
    public static final String RELEASES = "releases.v1";

    /** What people did in the seller's console; key = the actor. */
    public static final String CONSOLE = "console.v1";

    /** One-time shares' lifecycle (no token, password, content or name); key = shareId. */
    public static final String SHARES = "shares.v1";

    /** Customer erasure requests and each owner's answer; key = erasureId. */
    public static final String PRIVACY = "privacy.v1";

    /** Suffix of the dead-letter topic of every topic. */
    public static final String DLT_SUFFIX = ".dlt";

    /** Every event topic (not the dead-letter topics), in a stable order. */
    public static final List<String> ALL = List.of(
            DOWNLOAD_REQUESTS, DOWNLOAD_REPLIES, DOWNLOADS, TOKENS, ORDERS, FILES, RELEASES, CONSOLE, SHARES, PRIVACY);

    private Topics() {}

    /** The dead-letter topic of {@code topic}: {@code <topic>.dlt}. */
    public static String dlt(String topic) {
        return topic + DLT_SUFFIX;
    }

    /** Every topic, as {@link #ALL}. */
    public static List<String> all() {
        return ALL;
    }
}
