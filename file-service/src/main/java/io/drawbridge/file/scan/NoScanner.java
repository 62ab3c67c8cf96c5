package io.drawbridge.file.scan;

import io.drawbridge.file.files.domain.MalwareScanner;

/** No clamd configured: files are available at once, with scan status {@code not_scanned}. */
public class NoScanner implements MalwareScanner {

    @Override
    public boolean enabled() {
        return false;
    }

    @Override
    public Scan open() {
        throw new UnsupportedOperationException("scanning is not configured");
    }
}
