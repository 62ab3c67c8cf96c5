package io.drawbridge.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildJvmIT {

    @TempDir
    Path scratch;

    /** Closing the pipe is what the kernel does when the parent dies, SIGKILL included. */
    @Test
    void aChildExitsOnItsOwnWhenItsParentGoesAway() throws Exception {
        Process child = ChildJvm.builder(
                        scratch, List.of("-Xmx32m"), List.of(testClasses()), Sleeper.class.getName(), List.of())
                .start();
        try {
            assertThat(child.waitFor(1, TimeUnit.SECONDS)).as("exited early").isFalse();

            child.getOutputStream().close();

            assertThat(child.waitFor(30, TimeUnit.SECONDS))
                    .as("exited after its parent")
                    .isTrue();
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void stopEndsAChildAndKeepsItsLastOutput() throws Exception {
        Process child = ChildJvm.builder(
                        scratch, List.of("-Xmx32m"), List.of(testClasses()), Sleeper.class.getName(), List.of())
                .redirectErrorStream(true)
                .start();
        byte[] firstLine = child.getInputStream().readNBytes("sleeping\n".length());

        ChildJvm.stop(child, Duration.ofSeconds(10));

        assertThat(child.isAlive()).isFalse();
        assertThat(new String(firstLine)).isEqualTo("sleeping\n");
        assertThat(new String(child.getInputStream().readAllBytes())).isEqualTo("shutdown hook ran\n");
    }

    private static Path testClasses() throws Exception {
        return Path.of(Sleeper.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
    }

    /** A child that would run forever. */
    public static final class Sleeper {
        public static void main(String[] args) throws InterruptedException {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("shutdown hook ran")));
            System.out.println("sleeping");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
