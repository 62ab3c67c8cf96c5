package io.drawbridge.gateway.landing;

import java.util.Locale;
import java.util.Optional;
import org.springframework.http.HttpHeaders;

/**
 * The platform the buyer's browser runs on, so the landing page can preselect its build ("All files" stays one
 * click away). The User-Agent decides when it names a desktop platform (every browser still puts it there, reduced
 * user agents included); the {@code Sec-CH-UA-Platform} client hint (Chromium browsers send it unasked) is used when
 * the User-Agent does not say. Phones and tablets get no preselection: there is no build for them.
 */
final class BuyerPlatform {

    static final String CLIENT_HINT = "Sec-CH-UA-Platform";

    private BuyerPlatform() {}

    /** {@code windows}, {@code macos}, {@code linux} (the wire values of release platforms), or empty. */
    static Optional<String> of(HttpHeaders headers) {
        String userAgent = headers.getFirst(HttpHeaders.USER_AGENT);
        if (userAgent != null) {
            String ua = userAgent.toLowerCase(Locale.ROOT);
            if (ua.contains("iphone") || ua.contains("ipad") || ua.contains("android")) {
                return Optional.empty();
            }
            if (ua.contains("windows")) {
                return Optional.of("windows");
            }
            if (ua.contains("macintosh") || ua.contains("mac os x")) {
                return Optional.of("macos");
            }
            if (ua.contains("linux") || ua.contains("x11")) {
                return Optional.of("linux");
            }
        }
        String hint = headers.getFirst(CLIENT_HINT);
        if (hint != null) {
            String platform = hint.replace("\"", "").trim().toLowerCase(Locale.ROOT);
            return switch (platform) {
                case "windows" -> Optional.of("windows");
                case "macos" -> Optional.of("macos");
                case "linux", "chrome os", "chromeos" -> Optional.of("linux");
                default -> Optional.empty();
            };
        }
        return Optional.empty();
    }
}
