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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Issue #9's delivery cycle, the whole life of a one-download link: issue it through the admin API, redeem it through
 * the gateway, download the file (1 MiB by default) from the grant URL and check its SHA-256. {@code clients}
 * closed-loop customers run cycles for warm-up + duration seconds; each cycle is a new customer with its own loopback
 * address (so the gateway's per-address limits see customers, not the tool). Only cycles started inside the measured
 * window count; every failed cycle is counted by its kind (the step and the error code or status).
 */
final class DeliveryCycle {

    private final Settings settings;

    DeliveryCycle(Settings settings) {
        this.settings = settings;
    }

    /** One cycle: when it started, how long each step took (ns; -1 when not reached), and its outcome. */
    private record Sample(long startNanos, long issueNanos, long redeemNanos, long downloadNanos, String outcome)
            implements ClosedLoop.Sample {
        long total() {
            return Math.max(0, issueNanos) + Math.max(0, redeemNanos) + Math.max(0, downloadNanos);
        }
    }

    int run() throws Exception {
        URI gateway = settings.uris("gateway", settings.env("DRAWBRIDGE_DOWNLOAD_GATEWAY_URL", "http://127.0.0.1:8080"))
                .get(0);
        int clients = settings.number("clients", 10);
        int warmupSeconds = settings.number("warmup", 10);
        int durationSeconds = settings.number("duration", 30);
        int sizeKib = settings.number("size-kib", 1024);
        int timeoutMillis = settings.number("timeout-ms", 15_000);
        AdminApi admin = settings.adminApi();
        SourceAddresses addresses = new SourceAddresses();

        byte[] content = new byte[sizeKib * 1024];
        ThreadLocalRandom.current().nextBytes(content);
        String sha256 =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        String fileId = admin.uploadFile("bench-delivery-" + Instant.now().getEpochSecond() + ".bin", content);
        admin.issue(fileId, 1); // waits until token-service's catalog knows the file
        System.out.printf(
                "delivery-cycle: %d clients (closed loop), %d s warm-up + %d s measured, against %s%n",
                clients, warmupSeconds, durationSeconds, gateway);
        System.out.printf(
                "  each cycle: issue a 1-download link (POST /api/v1/tokens), redeem it (POST /api/v1/downloads) and"
                        + " download %d KiB from the grant URL, checking SHA-256; own source address per cycle%n",
                sizeKib);

        ClosedLoop.Result<Sample> result = ClosedLoop.run(
                clients,
                warmupSeconds,
                durationSeconds,
                (client, until, samples) -> loop(
                        admin,
                        gateway,
                        fileId,
                        sha256,
                        content.length,
                        client,
                        addresses,
                        timeoutMillis,
                        until,
                        samples));
        int status = ClosedLoop.printCycles(result);
        ClosedLoop.printStep("cycle", result.nanos(Sample::total));
        ClosedLoop.printStep("  issue", result.nanos(Sample::issueNanos));
        ClosedLoop.printStep("  redeem", result.nanos(Sample::redeemNanos));
        ClosedLoop.printStep("  download", result.nanos(Sample::downloadNanos));
        return status;
    }

    private static void loop(
            AdminApi admin,
            URI gateway,
            String fileId,
            String sha256,
            long size,
            int client,
            SourceAddresses addresses,
            int timeoutMillis,
            long until,
            List<Sample> samples) {
        long sequence = 0;
        while (System.nanoTime() < until) {
            InetAddress from = addresses.next();
            String userAgent = "drawbridge-bench-delivery/1.0 (client " + client + ", cycle " + sequence++ + ")";
            long begin = System.nanoTime();
            long issue = -1;
            long redeem = -1;
            long download = -1;
            String outcome;
            try {
                AdminApi.Link link;
                try {
                    link = admin.issue(fileId, 1);
                } finally {
                    issue = System.nanoTime() - begin;
                }
                long redeemStart = System.nanoTime();
                Customer.Reply reply;
                try (Customer customer = Customer.connect(gateway, from, timeoutMillis)) {
                    reply = customer.redeem(link.token(), userAgent);
                } finally {
                    redeem = System.nanoTime() - redeemStart;
                }
                if (!reply.granted()) {
                    outcome = "redeem:" + reply.outcome();
                } else {
                    String url = AdminApi.JSON
                            .readTree(reply.body())
                            .path("download_url")
                            .asString();
                    long downloadStart = System.nanoTime();
                    try {
                        outcome = download(gateway, URI.create(url), from, userAgent, sha256, size, timeoutMillis);
                    } finally {
                        download = System.nanoTime() - downloadStart;
                    }
                }
            } catch (SocketTimeoutException e) {
                outcome = step(issue, redeem) + ":timeout";
            } catch (IOException e) {
                outcome = step(issue, redeem) + ":io_error";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                outcome = step(issue, redeem) + ":" + e.getClass().getSimpleName();
                if (e.getMessage() != null && e.getMessage().startsWith("issue ")) {
                    outcome = "issue:" + e.getMessage().replaceAll("^issue \\S+: HTTP (\\d+).*", "http_$1");
                }
            }
            samples.add(new Sample(begin, issue, redeem, download, outcome));
        }
    }

    private static String step(long issue, long redeem) {
        return issue < 0 ? "issue" : redeem < 0 ? "redeem" : "download";
    }

    /** GETs the grant URL's path from the gateway; {@code ok} when the whole body arrived with the right SHA-256. */
    private static String download(
            URI gateway, URI url, InetAddress from, String userAgent, String sha256, long size, int timeoutMillis)
            throws IOException {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(timeoutMillis);
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress(gateway.getHost(), gateway.getPort()), timeoutMillis);
            String head = "GET " + url.getRawPath() + " HTTP/1.1\r\n"
                    + "Host: " + gateway.getHost() + ":" + gateway.getPort() + "\r\n"
                    + "User-Agent: " + userAgent + "\r\n"
                    + "Connection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String headers = Customer.readHead(in);
            if (!headers.startsWith("HTTP/1.1 ")) {
                return "download:malformed_response";
            }
            int status = Integer.parseInt(headers.substring(9, 12));
            if (status != 200) {
                return "download:http_" + status;
            }
            if (headers.toLowerCase(Locale.ROOT).contains("\ntransfer-encoding: chunked")) {
                return "download:chunked";
            }
            MessageDigest digest = sha256();
            byte[] buffer = new byte[64 * 1024];
            long received = 0;
            int read;
            while ((read = in.read(buffer)) != -1) {
                digest.update(buffer, 0, read);
                received += read;
            }
            if (received != size) {
                return "download:short_body";
            }
            return HexFormat.of().formatHex(digest.digest()).equals(sha256) ? "ok" : "download:sha256_mismatch";
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
