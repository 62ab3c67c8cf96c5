package io.drawbridge.token.config;

import io.drawbridge.token.delivery.domain.GrantSweep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs the {@link GrantSweep} every {@code drawbridge.token.grant-sweep-interval}, without blocking a thread: a
 * pass that fails is logged and the next one tries again.
 */
@Component
@ConditionalOnProperty(prefix = "drawbridge.token", name = "grant-sweep-enabled", matchIfMissing = true)
class GrantSweepSchedule implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GrantSweepSchedule.class);

    private final GrantSweep sweep;
    private final TokenProperties properties;
    private volatile Disposable running;

    GrantSweepSchedule(GrantSweep sweep, TokenProperties properties) {
        this.sweep = sweep;
        this.properties = properties;
    }

    @Override
    public void start() {
        running = Flux.interval(properties.grantSweepInterval(), properties.grantSweepInterval())
                .onBackpressureDrop()
                .concatMap(tick -> sweep.run()
                        .doOnNext(released -> {
                            if (released > 0) {
                                log.info("Released {} expired grants", released);
                            }
                        })
                        .onErrorResume(e -> {
                            log.warn("Grant sweep failed, next pass in {}", properties.grantSweepInterval(), e);
                            return Mono.empty();
                        }))
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable current = running;
        if (current != null) {
            current.dispose();
        }
        running = null;
    }

    @Override
    public boolean isRunning() {
        return running != null;
    }
}
