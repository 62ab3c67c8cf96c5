package io.drawbridge.platform.inbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Deletes processed-event rows past their retention every cleanup interval, so that the inbox does not grow with
 * every event ever consumed. A failed round is logged and the next one tries again.
 */
public class InboxRetention implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(InboxRetention.class);

    private final ProcessedEvents processedEvents;
    private final InboxProperties properties;
    private volatile Disposable schedule;

    public InboxRetention(ProcessedEvents processedEvents, InboxProperties properties) {
        this.processedEvents = processedEvents;
        this.properties = properties;
    }

    @Override
    public void start() {
        schedule = Flux.interval(properties.cleanupInterval(), properties.cleanupInterval())
                .onBackpressureDrop()
                .concatMap(tick -> processedEvents
                        .forgetOlderThan(properties.retention())
                        .doOnNext(deleted -> {
                            if (deleted > 0) {
                                log.info(
                                        "Deleted {} processed-event rows older than {}",
                                        deleted,
                                        properties.retention());
                            }
                        })
                        .onErrorResume(error -> {
                            log.warn(
                                    "Processed-event cleanup failed; next try in {}",
                                    properties.cleanupInterval(),
                                    error);
                            return Mono.empty();
                        }))
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable running = schedule;
        if (running != null) {
            running.dispose();
        }
        schedule = null;
    }

    @Override
    public boolean isRunning() {
        return schedule != null;
    }
}
