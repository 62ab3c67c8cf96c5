package io.drawbridge.file.catalog.domain;

import io.drawbridge.events.ProductBranding;
import io.drawbridge.file.shared.Rejection;
import io.drawbridge.file.shared.Rejection.Kind;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a product's branding may hold, checked where products live. The logo is an {@code https} URL rather than an
 * uploaded image: the buyer's browser fetches it from the seller's own host, so no seller-supplied bytes are stored,
 * scanned, sent through Kafka or served from the gateway's origin (where an SVG could run script), and the page's
 * Content-Security-Policy names exactly that one origin. The accent must keep white text on it at WCAG AA contrast
 * ({@link ProductBranding#accentProblem}); a colour that does not is refused with the ratio, not silently changed.
 */
final class BrandingRules {

    static final int MAX_DISPLAY_NAME = 80;
    static final int MAX_URL = 2000;
    static final int MAX_EMAIL = 254;
    private static final Pattern EMAIL =
            Pattern.compile("[A-Za-z0-9.!#$%&*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?"
                    + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+");

    private BrandingRules() {}

    /** The branding to store (blank parts unset, colour in lower case), or a rejection that names every problem. */
    static ProductBranding checked(ProductBranding requested) {
        if (requested == null) {
            return ProductBranding.NONE;
        }
        List<String> problems = new ArrayList<>();
        String name = blankToNull(requested.displayName());
        if (name != null) {
            name = printable(name);
            if (name.length() > MAX_DISPLAY_NAME) {
                problems.add("display_name must be at most " + MAX_DISPLAY_NAME + " characters");
            }
        }
        String logo = blankToNull(requested.logoUrl());
        if (logo != null && !isHttpsUrl(logo)) {
            problems.add("logo_url must be an https URL with a host (at most " + MAX_URL + " characters)");
        }
        String accent = blankToNull(requested.accentColour());
        if (accent != null) {
            String problem = ProductBranding.accentProblem(accent);
            if (problem != null) {
                problems.add("accent_colour: " + problem);
            } else {
                accent = ProductBranding.normalColour(accent);
            }
        }
        String email = blankToNull(requested.supportEmail());
        if (email != null
                && (email.length() > MAX_EMAIL || !EMAIL.matcher(email).matches())) {
            problems.add("support_email must be an email address");
        }
        if (!problems.isEmpty()) {
            throw new Rejection(Kind.INVALID, "validation_failed", String.join("; ", problems) + ".");
        }
        return new ProductBranding(name, logo, accent, email);
    }

    static boolean isHttpsUrl(String url) {
        if (url.length() > MAX_URL
                || url.chars().anyMatch(c -> c <= 0x20 || c == '"' || c == '\'' || c == '<' || c == '>' || c == 0x7f)) {
            return false;
        }
        try {
            URI uri = new URI(url);
            return "https".equals(uri.getScheme().toLowerCase(Locale.ROOT))
                    && uri.getHost() != null
                    && uri.getUserInfo() == null;
        } catch (URISyntaxException | NullPointerException e) {
            return false;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String printable(String text) {
        StringBuilder clean = new StringBuilder(text.length());
        text.codePoints().filter(cp -> !Character.isISOControl(cp)).forEach(clean::appendCodePoint);
        return clean.toString();
    }
}
