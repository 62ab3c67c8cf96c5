package io.drawbridge.file.share.domain;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Deletes expired shares within seconds of their expiry, and objects a failed deletion left behind. */
@Component
class ShareSweeper {

    private static final Logger log = LoggerFactory.getLogger(ShareSweeper.class);

    private final Shares shares;

    ShareSweeper(Shares shares) {
        this.shares = shares;
    }

    @Scheduled(
            initialDelayString = "${drawbridge.file.share.sweep-interval:5s}",
            fixedDelayString = "${drawbridge.file.share.sweep-interval:5s}")
    void sweep() {
        try {
            Integer ended = shares.sweep().block(Duration.ofMinutes(5));
            if (ended != null && ended > 0) {
                log.info("Share sweep: {} expired shares or leftover objects deleted", ended);
            }
        } catch (RuntimeException e) {
            log.warn("Sweeping shares failed: {}", e.toString());
        }
    }
}
