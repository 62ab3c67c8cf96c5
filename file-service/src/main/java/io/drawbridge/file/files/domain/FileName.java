package io.drawbridge.file.files.domain;

import java.util.Locale;

/**
 * A file's original name, kept for display only: objects are stored under generated keys, so a name can never
 * address anything. Path parts, control characters (CR/LF included) and invisible direction overrides are removed,
 * whitespace is collapsed and the length is capped.
 */
public record FileName(String value) {

    static final int MAX_LENGTH = 255;
    private static final String FALLBACK = "file";

    public FileName {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a file name is never blank; use FileName.of");
        }
    }

    /** The display name for whatever a client sent (null or blank gives {@code file}). */
    public static FileName of(String raw) {
        return new FileName(sanitise(raw));
    }

    static String sanitise(String raw) {
        if (raw == null) {
            return FALLBACK;
        }
        String name = raw;
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        if (slash >= 0) {
            name = name.substring(slash + 1);
        }
        StringBuilder clean = new StringBuilder(name.length());
        name.codePoints().forEach(cp -> {
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                clean.append(' ');
            } else if (!Character.isISOControl(cp) && !isInvisibleFormat(cp)) {
                clean.appendCodePoint(cp);
            }
        });
        String collapsed = clean.toString().replaceAll(" {2,}", " ").strip();
        while (collapsed.startsWith(".")) {
            collapsed = collapsed.substring(1).strip();
        }
        if (collapsed.isEmpty()) {
            return FALLBACK;
        }
        if (collapsed.length() > MAX_LENGTH) {
            int end = MAX_LENGTH;
            if (Character.isHighSurrogate(collapsed.charAt(end - 1))) {
                end--;
            }
            collapsed = collapsed.substring(0, end).strip();
        }
        return collapsed;
    }

    private static boolean isInvisibleFormat(int cp) {
        // Bidi overrides/isolates, zero-width characters, BOM: they make a name display as something it is not.
        return Character.getType(cp) == Character.FORMAT;
    }

    /** The lower-case extension without its dot, or empty. */
    public String extension() {
        int dot = value.lastIndexOf('.');
        return dot < 0 || dot == value.length() - 1
                ? ""
                : value.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return value;
    }
}
