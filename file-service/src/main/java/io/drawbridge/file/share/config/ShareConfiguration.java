package io.drawbridge.file.share.config;

import io.drawbridge.file.share.domain.ShareCipher;
import io.drawbridge.file.storage.ObjectStore;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ShareConfiguration {

    /** The bucket lifecycle rule's id: replaced on every start, never another rule of the bucket. */
    static final String LIFECYCLE_RULE = "drawbridge-expired-shares";

    private static final Logger log = LoggerFactory.getLogger(ShareConfiguration.class);

    @Bean
    ShareCipher shareCipher(ShareProperties properties) {
        return new ShareCipher(Math.toIntExact(properties.argonMemory().toKilobytes()), properties.argonIterations());
    }

    /**
     * The backstop of issue #10: should the sweep miss an object (file-service down for days, a row lost), the bucket
     * deletes it itself. A server that refuses lifecycle rules is logged, and the sweep stays the only deletion.
     */
    @Bean
    ApplicationRunner shareLifecycleRule(ObjectStore store, ShareProperties properties) {
        return args -> {
            if (!properties.lifecycleRule()) {
                return;
            }
            int days = properties.lifecycleDays();
            store.ensureBucket()
                    .then(store.ensureExpiryRule(LIFECYCLE_RULE, "shares/", days))
                    .doOnSuccess(done -> log.info(
                            "Bucket {} deletes share objects {} days after they were written (rule {})",
                            store.bucket(),
                            days,
                            LIFECYCLE_RULE))
                    .doOnError(e -> log.warn(
                            "Bucket {} has no lifecycle backstop for shares ({}); the expiry sweep alone deletes"
                                    + " expired shares' objects",
                            store.bucket(),
                            e.toString()))
                    .onErrorComplete()
                    .block(Duration.ofSeconds(30));
        };
    }
}
