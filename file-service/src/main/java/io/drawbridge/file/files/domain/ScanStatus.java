package io.drawbridge.file.files.domain;

import java.util.Locale;

/** Whether a file's bytes went through the malware scanner, and what it said. */
public enum ScanStatus {
    /** Scanning is not configured: the file was available at once. */
    NOT_SCANNED,
    /** clamd found nothing. */
    CLEAN,
    /** clamd found a signature: the file is quarantined (not downloadable, no FileStored). */
    INFECTED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ScanStatus fromCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }

    /** Whether the file may be delivered (referenced by releases, announced by FileStored). */
    public boolean available() {
        return this != INFECTED;
    }
}
