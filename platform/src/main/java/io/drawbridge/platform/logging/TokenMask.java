package io.drawbridge.platform.logging;

import java.util.regex.Pattern;

/**
 * Hides download and share tokens ({@code dl_} or {@code sh_} + base64url) wherever text may leave the process: logs, problem details,
 * exception messages. A token is a bearer credential; a log line that contains one is a leaked link.
 */
public final class TokenMask {

    /** What a token looks like: the prefix and at least 20 base64url characters. */
    public static final Pattern TOKEN = Pattern.compile("(dl|sh)_[A-Za-z0-9_-]{20,}");

    /** What replaces a download token (a share token becomes {@code sh_****}). */
    public static final String MASK = "dl_****";

    private TokenMask() {}

    /** {@code text} with every token replaced by {@link #MASK}; null stays null. */
    public static String mask(String text) {
        if (text == null || (!text.contains("dl_") && !text.contains("sh_"))) {
            return text;
        }
        return TOKEN.matcher(text).replaceAll("$1_****");
    }
}
