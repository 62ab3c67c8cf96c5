package io.drawbridge.gateway.grant.domain;

import java.nio.charset.StandardCharsets;

/**
 * Turns the names sellers gave their files into names that are safe to hand to a browser or write into a ZIP:
 * no directories, no control characters, and a {@code Content-Disposition} that old and new clients read the
 * same way (RFC 6266: an ASCII {@code filename} plus the exact UTF-8 {@code filename*}).
 */
public final class FileNames {

    private static final int MAX_LENGTH = 200;

    private FileNames() {}

    /** The last path segment of {@code name} without control characters; "download" if nothing is left. */
    public static String safe(String name) {
        String base = name == null ? "" : name;
        int slash = Math.max(base.lastIndexOf('/'), base.lastIndexOf('\\'));
        base = base.substring(slash + 1);
        StringBuilder out = new StringBuilder(base.length());
        base.codePoints()
                .filter(cp -> cp >= 0x20 && cp != 0x7f && !(cp >= 0x80 && cp < 0xa0))
                .forEach(out::appendCodePoint);
        String cleaned = out.toString().strip();
        if (cleaned.isEmpty() || cleaned.equals(".") || cleaned.equals("..")) {
            return "download";
        }
        if (cleaned.length() > MAX_LENGTH) {
            cleaned = cleaned.substring(0, cleaned.offsetByCodePoints(0, cleaned.codePointCount(0, MAX_LENGTH)));
        }
        return cleaned;
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
