package io.drawbridge.gateway.web;

import java.text.NumberFormat;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The words of the buyer's pages (landing page, refusals, share pages) in one language, from the message bundle
 * {@code messages/buyer*.properties}: English, and German for browsers that prefer it ({@code Accept-Language}
 * with q-values; anything else, or a malformed header, gets English). A key missing from a translation falls back
 * to English; a key missing from English is a programming error and fails loudly.
 */
public final class BuyerText {

    /** The languages there is a bundle for, the first being the fallback. */
    static final List<Locale> SUPPORTED = List.of(Locale.ENGLISH, Locale.GERMAN);

    private static final String BUNDLE = "messages.buyer";
    private static final ResourceBundle.Control NO_JVM_FALLBACK =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);
    private static final Map<Locale, BuyerText> BY_LOCALE =
            Map.of(Locale.ENGLISH, new BuyerText(Locale.ENGLISH), Locale.GERMAN, new BuyerText(Locale.GERMAN));

    /** English: the fallback, and the words of the public API's problem documents. */
    public static final BuyerText ENGLISH = BY_LOCALE.get(Locale.ENGLISH);

    private final Locale locale;
    private final ResourceBundle bundle;
    private final DateTimeFormatter dates;

    private BuyerText(Locale locale) {
        this.locale = locale;
        // The English bundle is the base file (buyer.properties); a translation's parent is it.
        this.bundle = ResourceBundle.getBundle(BUNDLE, locale, BuyerText.class.getClassLoader(), NO_JVM_FALLBACK);
        this.dates = DateTimeFormatter.ofPattern(bundle.getString("date.pattern"), locale)
                .withZone(ZoneOffset.UTC);
    }

    /** Loads every language's bundle (class initialisation); call it at start-up, off the event loops. */
    static void preload() {
        if (BY_LOCALE.size() != SUPPORTED.size()) {
            throw new IllegalStateException("a supported language has no bundle");
        }
    }

    /** The words for the language the request's {@code Accept-Language} prefers. */
    public static BuyerText of(ServerHttpRequest request) {
        return of(request.getHeaders().getFirst(HttpHeaders.ACCEPT_LANGUAGE));
    }

    public static BuyerText of(String acceptLanguage) {
        return BY_LOCALE.get(negotiate(acceptLanguage));
    }

    /**
     * The supported language the header prefers most (RFC 4647 lookup: {@code de-AT} finds German); ranges with
     * {@code q=0} are refusals, not wishes. English when nothing matches or the header is malformed.
     */
    static Locale negotiate(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank() || acceptLanguage.length() > 1000) {
            return Locale.ENGLISH;
        }
        List<Locale.LanguageRange> ranges;
        try {
            ranges = Locale.LanguageRange.parse(acceptLanguage);
        } catch (IllegalArgumentException e) {
            return Locale.ENGLISH;
        }
        List<Locale.LanguageRange> wanted = new ArrayList<>();
        for (Locale.LanguageRange range : ranges) {
            if (range.getWeight() > 0 && !range.getRange().equals("*")) {
                wanted.add(range);
            }
        }
        Locale match = Locale.lookup(wanted, SUPPORTED);
        return match == null ? Locale.ENGLISH : match;
    }

    public Locale locale() {
        return locale;
    }

    /** The value of {@code <html lang>} and {@code Content-Language}. */
    public String language() {
        return locale.getLanguage();
    }

    /** The message {@code key}, with {@code {0}}, {@code {1}}, ... replaced by the arguments (not HTML-escaped). */
    public String get(String key, Object... args) {
        String text;
        try {
            text = bundle.getString(key);
        } catch (MissingResourceException e) {
            throw new IllegalArgumentException("no buyer message " + key, e);
        }
        for (int i = 0; i < args.length; i++) {
            text = text.replace("{" + i + "}", String.valueOf(args[i]));
        }
        return text;
    }

    /** An instant as the page shows it, in UTC: "7 December 2026, 14:00 UTC". */
    public String date(Instant instant) {
        return dates.format(instant);
    }

    /** A whole number with the language's grouping: "1,048,576" or "1.048.576". */
    public String number(long value) {
        return NumberFormat.getIntegerInstance(locale).format(value);
    }

    /** A file size as people read it: "512 B", "1.5 MB" ("1,5 MB" in German; binary multiples). */
    public String size(long bytes) {
        return HtmlPages.humanSize(bytes, locale);
    }
}
