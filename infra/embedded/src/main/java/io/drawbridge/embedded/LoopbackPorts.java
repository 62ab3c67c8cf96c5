package io.drawbridge.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Port checks for servers that must be told their port before they bind it (a KRaft controller announces its own
 * address; PostgreSQL takes {@code -p}). A port handed out here may in theory be taken before the server binds it;
 * on a developer machine or a CI runner that window is small enough.
 */
public final class LoopbackPorts {

    private LoopbackPorts() {}

    /** A port nothing listens on right now. */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on loopback", e);
        }
    }

    /**
     * Whether a server could bind {@code port} on every interface (what Netty and Kafka do), so that a busy port
     * is reported by name instead of as a bind failure deep inside a server's startup.
     */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code port} itself, or a free port when it is 0. */
    static int resolve(int port, String what) {
        if (port == 0) {
            return free();
        }
        if (!isFree(port)) {
            throw new IllegalStateException(what + " cannot start: port " + port + " is already in use");
        }
        return port;
    }
}
