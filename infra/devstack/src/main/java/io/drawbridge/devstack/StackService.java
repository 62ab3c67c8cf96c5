package io.drawbridge.devstack;

import java.nio.file.Path;
import java.util.Locale;

/**
 * One of the five services as the dev stack runs it: its Maven module (which is also its name and log prefix), an
 * executable jar (the one the module builds, then the private copy the process runs) and the port it listens on.
 */
record StackService(String name, int port, Path jar) {

    StackService withJar(Path copy) {
        return new StackService(name, port, copy);
    }

    /** The base URL other processes (and the banner) use. */
    String url() {
        return "http://localhost:" + port;
    }

    /** {@code token-service} → {@code TOKEN_SERVICE}, for environment variable names. */
    String envName() {
        return name.toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
