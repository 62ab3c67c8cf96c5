package io.drawbridge.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/**
 * Issue #9's slow readers: {@code clients} customers download the same file at once, each reading at {@code rate-kib}
 * KiB/s through a socket with a small receive buffer (so loopback cannot absorb the file into kernel buffers and the
 * gateway has to hold or pause what the client does not take). Measures what a slow reader costs the gateway: its RSS
 * ({@code /proc/<pid>/status}) and direct memory (its {@code /actuator/prometheus}) before the downloads and at their
 * peak, per stream. Every download is checked byte for byte (length and SHA-256); errors are counted by kind.
 *
 * <p>Each customer redeems its own link ({@code POST /api/v1/downloads}) from its own loopback address (the gateway
 * rate-limits redeems per address) and downloads from that address.
 */
final class SlowClients {

    private static final int MAX_ATTEMPTS = 10;
    private static final long RETRY_NANOS = 2_000_000_000L;
    /** Refusals that were tried again, by kind. */
    private static final Map<String, AtomicInteger> retries = new ConcurrentHashMap<>();

    private final Settings settings;

    SlowClients(Settings settings) {
        this.settings = settings;
    }

    /** One memory sample of the gateway. */
    private record Sample(long rssKib, long hwmKib, double direct, double nettyDirect, int streaming) {}

    int run() throws Exception {
        URI gateway = settings.uris("gateway", "http://127.0.0.1:8080").get(0);
        int clients = settings.number("clients", 500);
        int rateKib = settings.number("rate-kib", 256);
        int sizeMib = settings.number("size-mib", 64);
        int receiveBufferKib = settings.number("rcvbuf-kib", 64);
        int timeoutMillis = settings.number("timeout-ms", 60_000);
        int rampMillis = settings.number("ramp-ms", 5_000);
        long pid = Long.parseLong(settings.text("gateway-pid", "0"));
        AdminApi admin = settings.adminApi();

        long size = sizeMib * 1024L * 1024L;
        String fileId = settings.text("file-id", "");
        String expectedSha;
        if (fileId.isEmpty()) {
            System.out.printf("uploading a random %d MiB file through file-service ...%n", sizeMib);
            AdminApi.Stored stored = admin.uploadRandomFile("bench-slow-clients.bin", size);
            fileId = stored.id();
            expectedSha = stored.sha256();
            if (!stored.sha256().equals(stored.computedSha256())) {
                System.out.println("file-service's SHA-256 differs from the uploaded bytes' one");
                return 1;
            }
        } else {
            JsonNode file = admin.file(fileId);
            size = file.path("size").asLong();
            expectedSha = file.path("sha256").asString();
        }
        List<AdminApi.Link> links = new ArrayList<>();
        for (int issued = 0; issued < clients; issued += 100) {
            links.addAll(admin.issueBatch(
                    fileId,
                    1,
                    Math.min(100, clients - issued),
                    "bench-slow-" + Instant.now().getEpochSecond() + "-" + issued));
        }
        System.out.printf(
                "slow-clients: %d clients, each reading %d KiB/s through a %d KiB receive buffer, file %s"
                        + " (%.1f MiB, SHA-256 %s...), against %s (pid %d)%n",
                clients,
                rateKib,
                receiveBufferKib,
                fileId,
                size / 1048576.0,
                expectedSha.substring(0, 12),
                gateway,
                pid);
        System.out.printf(
                "  one download takes at least %.0f s at that rate; clients start within %d ms%n",
                size / 1024.0 / rateKib, rampMillis);

        Sample before = sample(admin, gateway, pid, 0);
        print("before", before);

        AtomicInteger streaming = new AtomicInteger();
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        AtomicLong received = new AtomicLong();
        CountDownLatch done = new CountDownLatch(clients);
        SourceAddresses addresses = new SourceAddresses();
        long start = System.nanoTime();
        long finalSize = size;
        for (int i = 0; i < clients; i++) {
            String token = links.get(i).token();
            int id = i;
            long startAt = start + (long) rampMillis * 1_000_000L * i / Math.max(1, clients);
            Thread thread = new Thread(
                    null,
                    () -> {
                        String outcome;
                        try {
                            waitUntil(startAt);
                            outcome = download(
                                    gateway,
                                    addresses.next(),
                                    token,
                                    id,
                                    finalSize,
                                    expectedSha,
                                    rateKib * 1024L,
                                    receiveBufferKib * 1024,
                                    timeoutMillis,
                                    streaming,
                                    received);
                        } catch (RuntimeException e) {
                            outcome = "bench_error_" + e.getClass().getSimpleName();
                        }
                        outcomes.computeIfAbsent(outcome, k -> new AtomicInteger())
                                .incrementAndGet();
                        done.countDown();
                    },
                    "client-" + i,
                    256 * 1024);
            thread.setDaemon(true);
            thread.start();
        }

        Sample peak = before;
        Sample peakDirect = before;
        int maxStreaming = 0;
        long lastPrint = 0;
        while (done.getCount() > 0) {
            done.await(1, java.util.concurrent.TimeUnit.SECONDS);
            Sample now = sample(admin, gateway, pid, streaming.get());
            maxStreaming = Math.max(maxStreaming, now.streaming());
            if (now.rssKib() > peak.rssKib()) {
                peak = now;
            }
            if (Math.max(now.direct(), now.nettyDirect()) > Math.max(peakDirect.direct(), peakDirect.nettyDirect())) {
                peakDirect = now;
            }
            long elapsed = (System.nanoTime() - start) / 1_000_000_000L;
            if (elapsed - lastPrint >= 10) {
                lastPrint = elapsed;
                print(String.format("t=%3ds", elapsed), now);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Sample after = sample(admin, gateway, pid, 0);
        print("after", after);

        Map<String, Integer> sorted = new TreeMap<>();
        outcomes.forEach((k, v) -> sorted.put(k, v.get()));
        System.out.println();
        System.out.println("outcomes: " + sorted);
        Map<String, Integer> retried = new TreeMap<>();
        retries.forEach((k, v) -> retried.put(k, v.get()));
        System.out.println("refusals tried again (up to " + MAX_ATTEMPTS + " attempts, 2 s apart): " + retried);
        int completed = sorted.getOrDefault("completed", 0);
        System.out.printf(
                "completed (length and SHA-256 checked): %d of %d; %.1f MiB received in %.0f s (%.1f MiB/s);"
                        + " at most %d streams at once%n",
                completed,
                clients,
                received.get() / 1048576.0,
                seconds,
                received.get() / 1048576.0 / seconds,
                maxStreaming);
        print("peak RSS", peak);
        print("peak direct", peakDirect);
        // Per stream: the growth at the peak over the most streams at once (pooled buffers stay cached after a
        // stream ends, so the direct peak is often seen when streams are already finishing).
        int streams = Math.max(1, maxStreaming);
        System.out.printf(
                "RSS:    before %.1f MiB, peak %.1f MiB (VmHWM %.1f MiB): %.1f KiB per stream (%d at most at once)%n",
                before.rssKib() / 1024.0,
                peak.rssKib() / 1024.0,
                after.hwmKib() / 1024.0,
                (peak.rssKib() - before.rssKib()) / (double) streams,
                maxStreaming);
        System.out.printf(
                "direct: before %.1f MiB (Netty's allocator %.1f MiB), peak %.1f MiB (Netty's %.1f MiB):"
                        + " %.1f KiB per stream (Netty's allocator: %.1f KiB)%n",
                before.direct() / 1048576.0,
                before.nettyDirect() / 1048576.0,
                peakDirect.direct() / 1048576.0,
                peakDirect.nettyDirect() / 1048576.0,
                (peakDirect.direct() - before.direct()) / 1024.0 / streams,
                (peakDirect.nettyDirect() - before.nettyDirect()) / 1024.0 / streams);
        return completed == clients ? 0 : 1;
    }

    private static void print(String label, Sample sample) {
        System.out.printf(
                "  %-12s RSS %7.1f MiB  HWM %7.1f MiB  direct %7.1f MiB  netty direct %7.1f MiB  streams %d%n",
                label,
                sample.rssKib() / 1024.0,
                sample.hwmKib() / 1024.0,
                sample.direct() / 1048576.0,
                sample.nettyDirect() / 1048576.0,
                sample.streaming());
    }

    private static Sample sample(AdminApi admin, URI gateway, long pid, int streaming) {
        long rss = 0;
        long hwm = 0;
        if (pid > 0) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        rss = kib(line);
                    } else if (line.startsWith("VmHWM:")) {
                        hwm = kib(line);
                    }
                }
            } catch (IOException e) {
                // the gateway is gone: zeros say so
            }
        }
        String metrics = admin.prometheus(gateway);
        double direct = AdminApi.sum(metrics, "jvm_buffer_memory_used_bytes", "id=\"direct\"");
        double netty = AdminApi.sum(metrics, "drawbridge_netty_direct_memory_used_bytes");
        return new Sample(rss, hwm, direct, netty, streaming);
    }

    private static long kib(String statusLine) {
        return Long.parseLong(statusLine.replaceAll("[^0-9]", ""));
    }

    private static void waitUntil(long nanoTime) {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            try {
                Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Redeems and downloads; the outcome: completed, or what went wrong. */
    private static String download(
            URI gateway,
            InetAddress from,
            String token,
            int id,
            long size,
            String expectedSha,
            long bytesPerSecond,
            int receiveBuffer,
            int timeoutMillis,
            AtomicInteger streaming,
            AtomicLong received) {
        String userAgent = "drawbridge-bench-slow/1.0 (client " + id + ")";
        String path = null;
        for (int attempt = 0; path == null; attempt++) {
            try (Customer customer = Customer.connect(gateway, from, timeoutMillis)) {
                Customer.Reply reply = customer.redeem(token, userAgent);
                if (reply.granted()) {
                    path = URI.create(AdminApi.JSON
                                    .readTree(reply.body())
                                    .path("download_url")
                                    .asString())
                            .getRawPath();
                } else if (reply.status() != 503 || attempt + 1 == MAX_ATTEMPTS) {
                    return "redeem_" + reply.outcome();
                } else {
                    retries.computeIfAbsent("redeem_" + reply.outcome(), k -> new AtomicInteger())
                            .incrementAndGet();
                    waitUntil(System.nanoTime() + RETRY_NANOS);
                }
            } catch (IOException e) {
                return "redeem_io_error";
            }
        }
        // A refusal with Retry-After (the gateway shedding load, or token-service slow) is tried again, as download
        // managers do; each retry is counted.
        String outcome = "";
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            outcome = get(
                    gateway,
                    from,
                    path,
                    userAgent,
                    size,
                    expectedSha,
                    bytesPerSecond,
                    receiveBuffer,
                    timeoutMillis,
                    streaming,
                    received);
            if (!outcome.startsWith("http_503")) {
                return outcome;
            }
            retries.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
            waitUntil(System.nanoTime() + RETRY_NANOS);
        }
        return outcome;
    }

    private static String get(
            URI gateway,
            InetAddress from,
            String path,
            String userAgent,
            long size,
            String expectedSha,
            long bytesPerSecond,
            int receiveBuffer,
            int timeoutMillis,
            AtomicInteger streaming,
            AtomicLong received) {
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(receiveBuffer); // before connect: it sets the window scale
            socket.setSoTimeout(timeoutMillis);
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress(gateway.getHost(), gateway.getPort()), timeoutMillis);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + gateway.getHost() + ":" + gateway.getPort()
                            + "\r\nUser-Agent: " + userAgent
                            + "\r\nAccept: application/json\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            if (head == null) {
                return "closed_before_headers";
            }
            int status = Integer.parseInt(head.substring(9, 12));
            if (status != 200) {
                String lower = head.toLowerCase(Locale.ROOT);
                String retryAfter = lower.contains("retry-after") ? "_retry_after" : "";
                return "http_" + status + "_" + errorCode(in, lower) + retryAfter;
            }
            long length = contentLength(head);
            if (length != size) {
                return "wrong_content_length";
            }
            streaming.incrementAndGet();
            try {
                return readBody(in, length, expectedSha, bytesPerSecond, received);
            } finally {
                streaming.decrementAndGet();
            }
        } catch (SocketTimeoutException e) {
            return "timeout";
        } catch (IOException e) {
            return "io_error_" + e.getClass().getSimpleName();
        }
    }

    /** The problem document's {@code error} (the refusal is asked for as JSON), else "?". */
    private static String errorCode(InputStream in, String head) throws IOException {
        long length = contentLength(head);
        if (length <= 0 || length > 64 * 1024) {
            return "?";
        }
        byte[] body = in.readNBytes((int) length);
        try {
            return AdminApi.JSON.readTree(body).path("error").asString("?");
        } catch (RuntimeException e) {
            return "?";
        }
    }

    private static String readBody(
            InputStream in, long length, String expectedSha, long bytesPerSecond, AtomicLong total) throws IOException {
        MessageDigest sha = sha256();
        byte[] buffer = new byte[16 * 1024];
        long read = 0;
        long began = System.nanoTime();
        while (read < length) {
            // Never ahead of the rate: wait until the bytes read so far are due.
            waitUntil(began + read * 1_000_000_000L / bytesPerSecond);
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, length - read));
            if (n < 0) {
                return "truncated";
            }
            sha.update(buffer, 0, n);
            read += n;
            total.addAndGet(n);
        }
        if (in.read() >= 0) {
            return "bytes_after_the_end";
        }
        return HexFormat.of().formatHex(sha.digest()).equals(expectedSha) ? "completed" : "sha256_mismatch";
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 16 * 1024) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            head.append((char) c);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                return head.toString();
            }
        }
        return null;
    }

    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Long.parseLong(line.substring(15).trim());
            }
        }
        return -1;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
