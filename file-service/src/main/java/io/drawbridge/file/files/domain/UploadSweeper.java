package io.drawbridge.file.files.domain;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Periodically removes direct uploads that were never completed (see {@link DirectUploads#sweep()}). */
@Component
class UploadSweeper {

    private static final Logger log = LoggerFactory.getLogger(UploadSweeper.class);

    private final DirectUploads uploads;

    UploadSweeper(DirectUploads uploads) {
        this.uploads = uploads;
    }

    @Scheduled(
            initialDelayString = "${drawbridge.file.cleanup-interval:1m}",
            fixedDelayString = "${drawbridge.file.cleanup-interval:1m}")
    void sweep() {
        try {
            Integer removed = uploads.sweep().block(Duration.ofMinutes(10));
            if (removed != null && removed > 0) {
                log.info("Removed {} unfinished uploads", removed);
            }
        } catch (RuntimeException e) {
            log.warn("Sweeping unfinished uploads failed: {}", e.toString());
        }
    }
}
