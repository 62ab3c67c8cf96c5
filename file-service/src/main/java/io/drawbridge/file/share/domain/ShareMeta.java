package io.drawbridge.file.share.domain;

import java.nio.charset.StandardCharsets;

/** What a share's page shows about its content, kept sealed: the file's name and type and its SHA-256. */
public record ShareMeta(String name, String contentType, String sha256) {

    private static final String SEPARATOR = "\u0000";

    byte[] encode() {
        return String.join(SEPARATOR, nullToEmpty(name), nullToEmpty(contentType), nullToEmpty(sha256))
                .getBytes(StandardCharsets.UTF_8);
    }

    static ShareMeta decode(byte[] bytes) {
        String[] parts = new String(bytes, StandardCharsets.UTF_8).split(SEPARATOR, -1);
        return new ShareMeta(emptyToNull(parts[0]), emptyToNull(parts[1]), emptyToNull(parts[2]));
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value.replace(SEPARATOR, "");
    }

    private static String emptyToNull(String value) {
        return value.isEmpty() ? null : value;
    }
}
