package io.drawbridge.gateway.redeem.messaging;

import io.drawbridge.events.Event;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * The redemptions this instance is waiting for, by requestId. A reply for a request this instance did not send
 * (another instance's, or one that already timed out) finds nothing here and is dropped.
 */
@Component
class PendingRedemptions {

    private final Map<UUID, Sinks.One<Event>> waiting = new ConcurrentHashMap<>();

    /**
     * Registers {@code requestId}; the returned Mono emits its reply. Call {@link #forget} when done. The reply is
     * emitted on a parallel worker, not on the reply consumer's thread: the rest of the redemption (the answer, the
     * signed grant URL, the response) must not queue behind every other reply of this instance.
     */
    Mono<Event> await(UUID requestId) {
        Sinks.One<Event> sink = Sinks.one();
        waiting.put(requestId, sink);
        return sink.asMono().publishOn(Schedulers.parallel());
    }

    void forget(UUID requestId) {
        waiting.remove(requestId);
    }

    /** Hands a reply to whoever waits for it; false if nobody does. */
    boolean complete(UUID requestId, Event reply) {
        Sinks.One<Event> sink = waiting.remove(requestId);
        return sink != null && sink.tryEmitValue(reply).isSuccess();
    }

    int size() {
        return waiting.size();
    }
}
