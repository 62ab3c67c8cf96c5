package io.drawbridge.gateway.redeem.domain;

/**
 * A customer's click on Download, as the gateway saw it.
 *
 * @param platform windows, macos, linux, or null for every file
 * @param email what the customer typed, or null
 */
public record RedeemRequest(LinkToken token, String platform, String email, String clientIp, String userAgent) {

    private static final int MAX_USER_AGENT = 512;

    public RedeemRequest {
        platform = blankToNull(platform);
        email = blankToNull(email);
        userAgent = userAgent == null
                ? ""
                : userAgent.length() > MAX_USER_AGENT ? userAgent.substring(0, MAX_USER_AGENT) : userAgent;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
