package io.drawbridge.platform.schedule;

import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs a reactive job at a fixed interval, never two runs at once (a tick that comes while a run is going is
 * dropped) and never letting one failure stop the schedule: a failed run is logged and the next tick tries again.
 * Non-blocking: no thread waits for a run. Register it as a bean; Spring starts and stops it with the context.
 */
public final class RecurringJob implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RecurringJob.class);

    private final String name;
    private final Duration initialDelay;
    private final Duration interval;
    private final Supplier<Mono<?>> work;
    private volatile Disposable running;

    public RecurringJob(String name, Duration initialDelay, Duration interval, Supplier<Mono<?>> work) {
        this.name = name;
        this.initialDelay = initialDelay;
        this.interval = interval;
        this.work = work;
    }

    /** A job that never runs, for a schedule whose prerequisites are missing. */
    public static RecurringJob disabled(String name) {
        return new RecurringJob(name, null, null, null);
    }

    @Override
    public void start() {
        if (work == null) {
            return;
        }
        log.info("Scheduling {} every {} (first run in {})", name, interval, initialDelay);
        running = Flux.interval(initialDelay, interval)
                .onBackpressureDrop()
                .concatMap(
                        tick -> Mono.defer(work).then().onErrorResume(e -> {
                            log.warn("{} failed, next run in {}: {}", name, interval, e.toString());
                            log.debug("{} failure", name, e);
                            return Mono.empty();
                        }),
                        1)
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
        return running != null && !running.isDisposed();
    }
}
