package io.drawbridge.events;

import java.util.Set;

/**
 * The machine codes a {@link DownloadDenied#reason()} may carry. They double as the public API's problem
 * {@code error} codes, so the gateway can answer without translating.
 */
public final class DenialReasons {

    public static final String INVALID_TOKEN = "invalid_token";
    public static final String EMAIL_MISMATCH = "email_mismatch";
    public static final String TOKEN_EXPIRED = "token_expired";
    public static final String TOKEN_REVOKED = "token_revoked";
    public static final String USAGE_LIMIT_EXCEEDED = "usage_limit_exceeded";
    public static final String FILE_NOT_FOUND = "file_not_found";

    /** Every known reason; a consumer seeing another one treats it as {@link #INVALID_TOKEN}-like denial. */
    public static final Set<String> ALL =
            Set.of(INVALID_TOKEN, EMAIL_MISMATCH, TOKEN_EXPIRED, TOKEN_REVOKED, USAGE_LIMIT_EXCEEDED, FILE_NOT_FOUND);

    private DenialReasons() {}
}
