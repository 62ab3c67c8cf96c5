package io.drawbridge.gateway.grant.domain;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;

/**
 * Turns the names sellers gave their files into names that are safe to hand to a browser or write into a ZIP:
 * no directories, no control characters, none of the characters Windows reads as a drive, a stream or a wildcard
 * ({@code : * ? " < > |}, each becomes {@code _}), and a {@code Content-Disposition} that old and new clients read the
 * same way (RFC 6266: an ASCII {@code filename} plus the exact UTF-8 {@code filename*}).
 */
public final class FileNames {

    private static final int MAX_LENGTH = 200;
    private static final String WINDOWS_RESERVED = ":*?\"<>|";

    private FileNames() {}

    /**
     * The last path segment of {@code name} without control characters and with Windows' reserved characters replaced;
     * "download" if nothing is left.
     */
    public static String safe(String name) {
        String base = name == null ? "" : name;
        int slash = Math.max(base.lastIndexOf('/'), base.lastIndexOf('\\'));
        base = base.substring(slash + 1);
        StringBuilder out = new StringBuilder(base.length());
        base.codePoints()
                .filter(cp -> cp >= 0x20 && cp != 0x7f && !(cp >= 0x80 && cp < 0xa0))
                .map(cp -> WINDOWS_RESERVED.indexOf(cp) >= 0 ? '_' : cp)
                .forEach(out::appendCodePoint);
        String cleaned = out.toString().strip();
        if (cleaned.isEmpty() || cleaned.equals(".") || cleaned.equals("..")) {
            return "download";
        }
        if (cleaned.length() > MAX_LENGTH) {
            // Cut at a code point, and strip again: a name cut just after a space would end in one (Windows drops
            // trailing spaces, so the saved file would not have the name the header announced).
            cleaned = cleaned.substring(0, cleaned.offsetByCodePoints(0, cleaned.codePointCount(0, MAX_LENGTH)))
                    .strip();
        }
        return cleaned;
    }

    /**
     * The key under which two names are the same file on a case-insensitive file system (Windows, macOS): Unicode
     * canonical composition (macOS stores decomposed names) and a full case fold that no default locale changes
     * ({@code ß} and {@code SS}, {@code I} and {@code i} are one letter each).
     */
    public static String collisionKey(String name) {
        return Normalizer.normalize(name, Normalizer.Form.NFC)
                .toUpperCase(Locale.ROOT)
                .toLowerCase(Locale.ROOT);
    }

    /** {@code attachment; filename="ascii"; filename*=UTF-8''percent-encoded}. */
    public static String contentDisposition(String name) {
        String safe = safe(name);
        return "attachment; filename=\"" + asciiFallback(safe) + "\"; filename*=UTF-8''" + percentEncode(safe);
    }

    static String asciiFallback(String safe) {
        StringBuilder out = new StringBuilder(safe.length());
        for (int i = 0; i < safe.length(); i++) {
            char c = safe.charAt(i);
            boolean plain = c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%' && c != ';';
            out.append(plain ? c : '_');
        }
        return out.toString();
    }

    static String percentEncode(String safe) {
        StringBuilder out = new StringBuilder(safe.length() * 3);
        for (byte b : safe.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (attrChar(c)) {
                out.append(c);
            } else {
                out.append('%')
                        .append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** RFC 8187 attr-char. */
    private static boolean attrChar(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || "!#$&+-.^_`|~".indexOf(c) >= 0;
    }
}
