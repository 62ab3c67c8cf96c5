package io.drawbridge.console;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A seller's webhook receiver, a real HTTP server on loopback. Paths behave as their first segment says: {@code /ok/..}
 * answers 204, {@code /flaky/..} answers 500 to the first two attempts of each message (by webhook-id) and then 200,
 * {@code /down/..} always 503. It keeps every request it got.
 */
final class Receiver implements AutoCloseable {

    record Request(String path, String id, String timestamp, String signature, String contentType, byte[] body) {}

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> tries = new ConcurrentHashMap<>();

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = exchange.getRequestURI().getPath();
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            requests.add(new Request(
                    path,
                    id,
                    exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                    exchange.getRequestHeaders().getFirst("webhook-signature"),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    body));
            int status;
            if (path.startsWith("/flaky/")) {
                status = tries.computeIfAbsent(id, key -> new AtomicInteger()).incrementAndGet() <= 2 ? 500 : 200;
            } else if (path.startsWith("/down/")) {
                status = 503;
            } else {
                status = 204;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Request> at(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
