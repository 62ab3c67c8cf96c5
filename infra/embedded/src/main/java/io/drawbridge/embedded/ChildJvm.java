package io.drawbridge.embedded;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts and stops the Java child processes of the embedded infrastructure (S3Proxy) and of the dev stack (the
 * services) so that none is ever left behind: each child runs under {@link ParentWatch} and exits when this JVM dies,
 * even by SIGKILL; {@link #stop} asks politely, then insists. Children get their own session (via {@code setsid} when
 * present), so a Ctrl-C in the terminal reaches only the parent, which then stops them in order.
 */
public final class ChildJvm {

    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private ChildJvm() {}

    /**
     * A process builder for {@code java <jvmOptions> -cp <classPath> <mainClass> <args>}, run under
     * {@link ParentWatch}. Start it with {@link ProcessBuilder#start()} and keep the {@link Process}: its stdin must
     * stay open as long as the child should live.
     *
     * @param scratchDir a directory this JVM may write the watch class into
     */
    public static ProcessBuilder builder(
            Path scratchDir, List<String> jvmOptions, List<Path> classPath, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            command.add(SETSID.toString());
        }
        command.add(javaExecutable());
        command.addAll(jvmOptions);
        command.add("-cp");
        List<String> entries = new ArrayList<>();
        classPath.forEach(entry -> entries.add(entry.toAbsolutePath().toString()));
        entries.add(watchClassDirectory(scratchDir).toString());
        command.add(String.join(File.pathSeparator, entries));
        command.add(ParentWatch.class.getName());
        command.add(mainClass);
        command.addAll(args);
        return new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE);
    }

    /**
     * Stops {@code process} and its descendants: SIGTERM, up to {@code grace} for shutdown hooks, then SIGKILL.
     * Returns once nothing of it is left.
     */
    public static void stop(Process process, Duration grace) {
        if (process == null) {
            return;
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        // Signal through the handle: Process.destroy() would also close the pipes and lose the last output lines.
        ProcessHandle handle = process.toHandle();
        handle.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                handle.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            handle.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle descendant : descendants) {
            descendant.destroyForcibly();
        }
    }

    /** The JVM running this code, so children use the same Java version. */
    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Copies the watch class out of wherever this module's classes live (a directory, a jar, a jar nested in the
     * dev stack's executable jar) into a plain directory a child can put on its classpath.
     */
    private static Path watchClassDirectory(Path scratchDir) {
        String resource = ParentWatch.class.getName().replace('.', '/') + ".class";
        Path directory = scratchDir.resolve("parent-watch").toAbsolutePath();
        Path target = directory.resolve(resource);
        try (InputStream in = ParentWatch.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("cannot read " + resource + " from the classpath");
            }
            byte[] bytes = in.readAllBytes();
            if (!Files.exists(target) || !Arrays.equals(Files.readAllBytes(target), bytes)) {
                Files.createDirectories(target.getParent());
                Path temp = Files.createTempFile(target.getParent(), "ParentWatch", ".tmp");
                Files.write(temp, bytes);
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the parent watch class under " + directory, e);
        }
    }
}
