package io.drawbridge.file.files.domain;

import io.drawbridge.file.config.FileProperties;
import io.drawbridge.file.shared.Rejection;
import io.drawbridge.file.shared.Rejection.Kind;
import java.util.List;
import java.util.Locale;
import org.springframework.util.unit.DataSize;

/** What may be uploaded: size limit, optional allow-lists of extensions and content types, no empty files. */
public final class UploadPolicy {

    private final long maxSize;
    private final List<String> extensions;
    private final List<String> contentTypes;

    public UploadPolicy(FileProperties properties) {
        this.maxSize = properties.maxSize().toBytes();
        this.extensions = properties.allowedExtensions().stream()
                .map(e -> e.strip().toLowerCase(Locale.ROOT))
                .map(e -> e.startsWith(".") ? e.substring(1) : e)
                .filter(e -> !e.isEmpty())
                .toList();
        this.contentTypes = properties.allowedContentTypes().stream()
                .map(t -> t.strip().toLowerCase(Locale.ROOT))
                .filter(t -> !t.isEmpty())
                .toList();
    }

    public long maxSize() {
        return maxSize;
    }

    /** Refuses a name or content type outside the allow-lists (415). */
    public void checkType(FileName name, String contentType) {
        if (!extensions.isEmpty() && !extensions.contains(name.extension())) {
            throw new Rejection(
                    Kind.UNSUPPORTED_TYPE,
                    "unsupported_file_type",
                    "Files with the extension '" + name.extension() + "' are not accepted; allowed: "
                            + String.join(", ", extensions)
                            + " (configured by drawbridge.file.allowed-extensions).");
        }
        if (!contentTypes.isEmpty() && !typeAllowed(contentType)) {
            throw new Rejection(
                    Kind.UNSUPPORTED_TYPE,
                    "unsupported_file_type",
                    "Files of type '" + baseType(contentType) + "' are not accepted; allowed: "
                            + String.join(", ", contentTypes)
                            + " (configured by drawbridge.file.allowed-content-types).");
        }
    }

    private boolean typeAllowed(String contentType) {
        String type = baseType(contentType);
        for (String allowed : contentTypes) {
            if (allowed.equals(type)
                    || allowed.equals("*/*")
                    || (allowed.endsWith("/*") && type.startsWith(allowed.substring(0, allowed.length() - 1)))) {
                return true;
            }
        }
        return false;
    }

    static String baseType(String contentType) {
        if (contentType == null) {
            return "application/octet-stream";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .strip()
                .toLowerCase(Locale.ROOT);
    }

    /** Refuses a size above the limit (413) or zero (400). */
    public void checkSize(long size) {
        if (size > maxSize) {
            throw tooLarge();
        }
        if (size <= 0) {
            throw empty();
        }
    }

    public Rejection tooLarge() {
        return new Rejection(
                Kind.TOO_LARGE,
                "file_too_large",
                "The file is larger than the limit of " + human(maxSize) + " (" + maxSize + " bytes). "
                        + "Raise it with drawbridge.file.max-size (environment DRAWBRIDGE_FILE_MAX_SIZE), "
                        + "e.g. DRAWBRIDGE_FILE_MAX_SIZE=10GB, or use a direct upload.");
    }

    public static Rejection empty() {
        return new Rejection(Kind.INVALID, "empty_file", "The file is empty; there is nothing to store.");
    }

    static String human(long bytes) {
        long gib = DataSize.ofGigabytes(1).toBytes();
        long mib = DataSize.ofMegabytes(1).toBytes();
        if (bytes >= gib && bytes % (gib / 10) == 0) {
            return trim(bytes / (double) gib) + " GiB";
        }
        if (bytes >= mib) {
            return trim(bytes / (double) mib) + " MiB";
        }
        return bytes + " bytes";
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }
}
