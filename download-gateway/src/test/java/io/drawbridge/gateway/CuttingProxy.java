package io.drawbridge.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy in front of the S3 server that breaks a connection off once it has carried {@code cutAfter} bytes of
 * answers: the store failing in the middle of a body. Every connection, or only the first {@code cutConnections}
 * (the later ones pass whole). Smaller answers (status checks, small objects) pass untouched. Blocking threads of its
 * own, never on the gateway's event loops.
 */
final class CuttingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final URI target;
    private final long cutAfter;
    private final long cutConnections;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong cuts = new AtomicLong();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    CuttingProxy(URI target, long cutAfter) throws IOException {
        this(target, cutAfter, Long.MAX_VALUE);
    }

    CuttingProxy(URI target, long cutAfter, long cutConnections) throws IOException {
        this.target = target;
        this.cutAfter = cutAfter;
        this.cutConnections = cutConnections;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "cutting-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** How many connections it has broken off. */
    long cuts() {
        return cuts.get();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(target.getHost(), target.getPort()), 5_000);
                sockets.add(client);
                sockets.add(upstream);
                pipe(client, upstream, Long.MAX_VALUE);
                pipe(upstream, client, accepted.getAndIncrement() < cutConnections ? cutAfter : Long.MAX_VALUE);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pipe(Socket from, Socket to, long limit) {
        Thread thread = new Thread(
                () -> {
                    byte[] buffer = new byte[16 * 1024];
                    long carried = 0;
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        int n;
                        while ((n = in.read(buffer)) >= 0) {
                            int allowed = (int) Math.min(n, limit - carried);
                            out.write(buffer, 0, allowed);
                            out.flush();
                            carried += allowed;
                            if (carried >= limit) {
                                cuts.incrementAndGet();
                                break;
                            }
                        }
                    } catch (IOException e) {
                        // the other side went away: close both below
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                    }
                },
                "cutting-proxy-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    private void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to do
        }
        sockets.remove(socket);
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(this::closeQuietly);
    }
}
