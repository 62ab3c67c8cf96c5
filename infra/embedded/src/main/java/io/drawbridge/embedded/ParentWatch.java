package io.drawbridge.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

/**
 * Entry point of a child JVM that must not outlive its parent. The parent keeps the write end of the child's stdin
 * open; when the parent dies for any reason, SIGKILL included, the operating system closes it, this watch reads end of
 * stream and exits the child (running its shutdown hooks, so a Spring Boot service still shuts down gracefully).
 * Usage: {@code java -cp <app>:<dir with this class> io.drawbridge.embedded.ParentWatch <main class> <args...>}.
 *
 * <p>This class depends on the JDK only and compiles to a single class file: {@link ChildJvm} copies it next to the
 * child's classpath.
 */
public final class ParentWatch {

    /** How long the child's shutdown hooks may take once the parent is gone. */
    private static final long SHUTDOWN_GRACE_MILLIS = 20_000;

    private ParentWatch() {}

    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: ParentWatch <main class> [args...]");
        }
        Thread watch = new Thread(() -> exitAtEndOf(System.in), "parent-watch");
        watch.setDaemon(true);
        watch.start();
        try {
            Class.forName(args[0]).getMethod("main", String[].class).invoke(null, (Object)
                    Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void exitAtEndOf(InputStream parentPipe) {
        try {
            byte[] buffer = new byte[256];
            while (parentPipe.read(buffer) >= 0) {
                // The parent never writes; anything read is ignored.
            }
        } catch (IOException e) {
            // A broken pipe means the same as end of stream: the parent is gone.
        }
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(SHUTDOWN_GRACE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(137);
        });
        halt.setDaemon(true);
        halt.start();
        System.exit(143);
    }
}
