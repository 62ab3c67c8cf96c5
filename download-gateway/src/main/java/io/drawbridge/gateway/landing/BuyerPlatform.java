package io.drawbridge.gateway.landing;

import io.drawbridge.events.Platform;
import java.util.Locale;
import java.util.Optional;
import org.springframework.http.HttpHeaders;

/**
 * The platform the buyer's browser runs on, so the landing page can preselect its build ("All files" stays one
 * click away). The {@code Sec-CH-UA-Platform} client hint decides when the browser sends it (Chromium browsers do,
 * and the page asks for it with {@code Accept-CH}); otherwise the User-Agent, which every browser still fills with
 * its platform (reduced user agents included). Phones and tablets get no preselection: there is no build for them.
 */
final class BuyerPlatform {

    static final String CLIENT_HINT = "Sec-CH-UA-Platform";

    private BuyerPlatform() {}

    /** {@code WINDOWS}, {@code MACOS} or {@code LINUX}, or empty when the browser does not say or is a phone. */
    static Optional<Platform> of(HttpHeaders headers) {
        String hint = headers.getFirst(CLIENT_HINT);
        if (hint != null && !hint.isBlank()) {
            // A structured-field string: "macOS", "Windows", "Linux", "Chrome OS", "Android", "iOS", "Unknown".
            return switch (hint.replace("\"", "").trim().toLowerCase(Locale.ROOT)) {
                case "windows" -> Optional.of(Platform.WINDOWS);
                case "macos" -> Optional.of(Platform.MACOS);
                case "linux", "chrome os", "chromeos" -> Optional.of(Platform.LINUX);
                default -> Optional.empty();
            };
        }
        String userAgent = headers.getFirst(HttpHeaders.USER_AGENT);
        if (userAgent == null) {
            return Optional.empty();
        }
        String ua = userAgent.toLowerCase(Locale.ROOT);
        if (ua.contains("iphone") || ua.contains("ipad") || ua.contains("android")) {
            return Optional.empty();
        }
        if (ua.contains("windows")) {
            return Optional.of(Platform.WINDOWS);
        }
        if (ua.contains("macintosh") || ua.contains("mac os x")) {
            return Optional.of(Platform.MACOS);
        }
        if (ua.contains("linux") || ua.contains("x11") || ua.contains("cros")) {
            return Optional.of(Platform.LINUX);
        }
        return Optional.empty();
    }
}
