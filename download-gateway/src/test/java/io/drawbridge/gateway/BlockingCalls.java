package io.drawbridge.gateway;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;

/**
 * BlockHound for every gateway test that runs reactive code: one installation per test JVM (the first one wins, so
 * every test must install the same one), and the blocking calls it caught, for a test to assert there were none.
 */
public final class BlockingCalls {

    private static boolean installed;

    private static final List<String> BLOCKING_CALLS = new CopyOnWriteArrayList<>();

    public static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        // Anything that blocks a Netty event loop or a Reactor non-blocking thread fails the request.
        // Allowed: console logging, /dev/urandom behind UUID.randomUUID (never blocks in practice) and Hibernate
        // Validator's one-time message bundle load, the one-time zstd and epoll native library loads.
        BlockHound.install(
                builder -> builder.allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "writeBytes")
                        .allowBlockingCallsInside("java.util.UUID", "randomUUID")
                        .allowBlockingCallsInside("io.netty.handler.codec.compression.Zstd", "<clinit>")
                        // Reactor Netty's one-time native transport load, on whichever thread first opens a client.
                        .allowBlockingCallsInside("io.netty.util.internal.NativeLibraryLoader", "load")
                        .allowBlockingCallsInside(
                                "org.hibernate.validator.resourceloading.PlatformResourceBundleLocator", "loadBundle")
                        .blockingMethodCallback(method -> {
                            StringBuilder where = new StringBuilder(
                                    method + " on " + Thread.currentThread().getName());
                            StackWalker.getInstance().forEach(frame -> {
                                if (!frame.getClassName().startsWith("reactor.blockhound")) {
                                    where.append("\n    at ").append(frame);
                                }
                            });
                            BLOCKING_CALLS.add(where.toString());
                            throw new BlockingOperationError(method);
                        }));
    }

    /** The blocking calls caught since the last drain. */
    public static List<String> drain() {
        List<String> calls = List.copyOf(BLOCKING_CALLS);
        BLOCKING_CALLS.removeAll(calls);
        return calls;
    }

    private BlockingCalls() {}
}
