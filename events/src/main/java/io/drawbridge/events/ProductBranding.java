package io.drawbridge.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How a product presents itself on the buyer's page: a display name, a logo (an {@code https} URL the buyer's
 * browser loads; the gateway serves no seller-supplied bytes), an accent colour and a support address. Every part
 * is optional; the page falls back to the seller's defaults. file-service owns and validates it
 * ({@link #accentProblem}); it travels in {@link ProductBrandingChanged} and in token-service's landing-page view.
 *
 * <p>The page writes white text on the accent (header, Download button), so an accent must reach WCAG 2.2 AA
 * contrast with white ({@value #MIN_CONTRAST}:1 for normal text), which also makes the accent readable as text on the
 * page's white card.
 *
 * @param accentColour {@code #rrggbb}, lower case
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProductBranding(String displayName, String logoUrl, String accentColour, String supportEmail) {

    /** The colour of the text the page writes on the accent. */
    public static final String TEXT_ON_ACCENT = "#ffffff";

    /** WCAG 2.2 AA, normal-size text (success criterion 1.4.3). */
    public static final double MIN_CONTRAST = 4.5;

    private static final Pattern HEX = Pattern.compile("#[0-9a-fA-F]{6}");

    /** Nothing set: the seller's defaults everywhere. */
    public static final ProductBranding NONE = new ProductBranding(null, null, null, null);

    @JsonIgnore
    public boolean isEmpty() {
        return displayName == null && logoUrl == null && accentColour == null && supportEmail == null;
    }

    /** Whether {@code colour} is {@code #rrggbb}. */
    public static boolean isHexColour(String colour) {
        return colour != null && HEX.matcher(colour).matches();
    }

    /** {@code colour} as {@code #rrggbb} in lower case; the caller checked {@link #isHexColour}. */
    public static String normalColour(String colour) {
        return colour.toLowerCase(Locale.ROOT);
    }

    /**
     * What is wrong with {@code colour} as an accent, in words for the seller, or null when it is fine: not
     * {@code #rrggbb}, or white text on it is below {@value #MIN_CONTRAST}:1.
     */
    public static String accentProblem(String colour) {
        if (!isHexColour(colour)) {
            return "the accent colour must be #rrggbb (six hex digits)";
        }
        double ratio = contrastRatio(colour, TEXT_ON_ACCENT);
        if (ratio < MIN_CONTRAST) {
            return String.format(
                    Locale.ROOT,
                    "white text on %s has a contrast of %.2f:1; WCAG AA needs %.1f:1: choose a darker colour",
                    colour,
                    ratio,
                    MIN_CONTRAST);
        }
        return null;
    }

    /** The WCAG contrast ratio of two {@code #rrggbb} colours, from 1 (same) to 21 (black on white). */
    public static double contrastRatio(String first, String second) {
        double a = relativeLuminance(first);
        double b = relativeLuminance(second);
        return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    }

    /** WCAG 2.2's relative luminance of an sRGB colour {@code #rrggbb}. */
    static double relativeLuminance(String colour) {
        if (!isHexColour(colour)) {
            throw new IllegalArgumentException("not #rrggbb: " + colour);
        }
        int rgb = Integer.parseInt(colour.substring(1), 16);
        return 0.2126 * channel(rgb >> 16) + 0.7152 * channel(rgb >> 8) + 0.0722 * channel(rgb);
    }

    private static double channel(int value) {
        double c = (value & 0xff) / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }
}
