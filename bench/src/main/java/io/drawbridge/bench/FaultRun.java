package io.drawbridge.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/**
 * Issue #12's fault test, one victim per run. {@code links} one-download links are redeemed and downloaded by
 * {@code clients} closed-loop customers who behave like real ones: each link from its own address; a cut download is
 * resumed with {@code Range}; a failed or refused redeem is tried again; a customer gives a link up after
 * {@code give-up-after} seconds. When {@code fault-at} downloads have completed the tool prints {@code FAULT POINT};
 * bench/fault-test then kills the victim with SIGKILL, restarts it and writes when it did both to {@code fault-file}.
 *
 * <p>After the last link it reconciles three views of every link: what its customer received in full (SHA-256
 * checked), the uses token-service consumed and still holds reserved, and audit-service's completed downloads; then it
 * redeems every delivered link once more from a new address (a second whole copy is a doubled download).
 */
final class FaultRun {

    private static final long PAUSE_MILLIS = 500;

    private final Settings settings;

    FaultRun(Settings settings) {
        this.settings = settings;
    }

    /** One link as its customer lived it. */
    private static final class LinkRun {
        final AdminApi.Link link;
        final InetAddress from;
        final String userAgent;
        int copies;
        int redeems;
        int fetches;
        String lastError = "";
        long deliveredFetchStart = -1; // epoch ms of the start of the fetch that completed the copy
        long deliveredAt = -1;
        final Map<String, Integer> attempts = new TreeMap<>();
        int probeCopies;
        String probeOutcome = "";
        long consumed = -1;
        long reserved = -1;
        int auditCompleted;

        LinkRun(AdminApi.Link link, InetAddress from, String userAgent) {
            this.link = link;
            this.from = from;
            this.userAgent = userAgent;
        }
    }

    /** What a customer has of the file so far: the bytes received in order and their running digest. */
    private static final class Received {
        MessageDigest digest = SlowClients.sha256();
        long bytes;

        void restart() {
            digest = SlowClients.sha256();
            bytes = 0;
        }
    }

    int run() throws Exception {
        URI gateway = settings.uris("gateway", settings.env("DRAWBRIDGE_DOWNLOAD_GATEWAY_URL", "http://127.0.0.1:8080"))
                .get(0);
        URI auditService = URI.create(settings.env("DRAWBRIDGE_AUDIT_SERVICE_URL", "http://127.0.0.1:8084"));
        String victim = settings.text("victim", "none");
        int linkCount = settings.number("links", 2000);
        int clients = settings.number("clients", 8);
        int sizeKib = settings.number("size-kib", 256);
        int faultAt = settings.number("fault-at", linkCount / 4);
        int giveUpSeconds = settings.number("give-up-after", 120);
        int settleSeconds = settings.number("settle-seconds", 90);
        int timeoutMillis = settings.number("timeout-ms", 15_000);
        Path faultFile = Path.of(settings.text("fault-file", "bench/target/fault-test.times"));
        AdminApi admin = settings.adminApi();

        byte[] content = new byte[sizeKib * 1024];
        ThreadLocalRandom.current().nextBytes(content);
        String sha256 = HexFormat.of().formatHex(SlowClients.sha256().digest(content));
        String runId = "fault-" + victim + "-" + Instant.now().getEpochSecond();
        String fileId = admin.uploadFile(runId + ".bin", content);
        Instant runStart = Instant.now();
        List<LinkRun> runs = new ArrayList<>();
        SourceAddresses addresses = new SourceAddresses();
        for (int batch = 0; batch * 100 < linkCount; batch++) {
            int count = Math.min(100, linkCount - batch * 100);
            for (AdminApi.Link link : issueBatch(admin, fileId, count, runId + "-" + batch)) {
                runs.add(new LinkRun(link, addresses.next(), "drawbridge-bench-fault/1.0 (link " + runs.size() + ")"));
            }
        }
        System.out.printf(
                "fault-test: victim %s; %d one-download links of %d KiB, %d clients (closed loop) against %s;"
                        + " fault point after %d completed downloads; a customer gives a link up after %d s%n",
                victim, linkCount, sizeKib, clients, gateway, faultAt, giveUpSeconds);

        AtomicInteger next = new AtomicInteger();
        AtomicInteger completed = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int client = 0; client < clients; client++) {
            Thread thread = new Thread(
                    () -> {
                        int index;
                        while ((index = next.getAndIncrement()) < runs.size()) {
                            LinkRun run = runs.get(index);
                            deliver(gateway, run, sha256, content.length, timeoutMillis, giveUpSeconds);
                            if (run.copies > 0 && completed.incrementAndGet() == faultAt) {
                                System.out.printf("FAULT POINT at %d completed downloads%n", faultAt);
                            }
                        }
                    },
                    "client-" + client);
            threads.add(thread);
            thread.start();
        }
        long lastReport = System.nanoTime();
        for (Thread thread : threads) {
            while (thread.isAlive()) {
                thread.join(1000);
                if (System.nanoTime() - lastReport > 5_000_000_000L) {
                    lastReport = System.nanoTime();
                    System.out.printf(
                            "  progress: %d of %d links taken, %d downloads completed%n",
                            Math.min(next.get(), runs.size()), runs.size(), completed.get());
                }
            }
        }
        long endedAt = System.currentTimeMillis();
        System.out.printf("all links done: %d downloads completed%n", completed.get());

        Map<String, Long> times = awaitFaultTimes(faultFile, victim);
        settle(admin, runs, settleSeconds);
        awaitAudit(admin, auditService, runStart, runs, settleSeconds);
        probe(gateway, runs, addresses, sha256, content.length, timeoutMillis, clients);
        return report(victim, runs, times, endedAt);
    }

    /**
     * One batch of one-download links, asked again when token-service does not answer in time (on a machine this busy
     * it may not); a batch that was issued after all is only never used.
     */
    private static List<AdminApi.Link> issueBatch(AdminApi admin, String fileId, int count, String orderPrefix)
            throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return admin.issueBatch(fileId, 1, count, orderPrefix + "-" + attempt);
            } catch (HttpTimeoutException e) {
                if (attempt == 5) {
                    throw e;
                }
                System.out.printf("issuing %d links timed out (attempt %d); asking again%n", count, attempt);
            }
        }
    }

    /** Redeems (again when needed) and downloads one link until a whole, correct copy arrived or the customer gives up. */
    private static void deliver(
            URI gateway, LinkRun run, String sha256, long size, int timeoutMillis, int giveUpSeconds) {
        long giveUpAt = System.nanoTime() + giveUpSeconds * 1_000_000_000L;
        Received received = new Received();
        URI grant = null;
        while (true) {
            if (grant == null) {
                run.redeems++;
                try (Customer customer = Customer.connect(gateway, run.from, timeoutMillis)) {
                    Customer.Reply reply = customer.redeem(run.link.token(), run.userAgent);
                    if (reply.granted()) {
                        grant = URI.create(AdminApi.JSON
                                .readTree(reply.body())
                                .path("download_url")
                                .asString());
                    } else {
                        run.lastError = "redeem:" + reply.outcome();
                    }
                } catch (SocketTimeoutException e) {
                    run.lastError = "redeem:timeout";
                } catch (IOException e) {
                    run.lastError = "redeem:io_error";
                }
                run.attempts.merge(grant == null ? run.lastError : "redeem:granted", 1, Integer::sum);
            }
            if (grant != null) {
                run.fetches++;
                long fetchStart = System.currentTimeMillis();
                String outcome = fetch(gateway, grant, run, received, size, timeoutMillis);
                run.attempts.merge("download:" + outcome, 1, Integer::sum);
                if (outcome.equals("ok")) {
                    if (HexFormat.of().formatHex(received.digest.digest()).equals(sha256)) {
                        run.copies = 1;
                        run.deliveredFetchStart = fetchStart;
                        run.deliveredAt = System.currentTimeMillis();
                        return;
                    }
                    outcome = "sha256_mismatch";
                    received.restart();
                }
                run.lastError = "download:" + outcome;
                if (outcome.startsWith("http_4")) {
                    grant = null; // the grant is gone or refused: ask for a new one
                }
            }
            if (System.nanoTime() > giveUpAt) {
                return;
            }
            try {
                Thread.sleep(PAUSE_MILLIS); // a customer's pause before trying again, not a wait for the system
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * One GET of the grant from the bytes already received on ({@code Range} when resuming); {@code ok} when the body
     * ran to the file's end, else why not ({@code cut}, {@code timeout}, {@code io_error}, {@code http_<status>}).
     */
    private static String fetch(URI gateway, URI grant, LinkRun run, Received received, long size, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(timeoutMillis);
            socket.bind(new InetSocketAddress(run.from, 0));
            socket.connect(new InetSocketAddress(gateway.getHost(), gateway.getPort()), timeoutMillis);
            String head = "GET " + grant.getRawPath() + " HTTP/1.1\r\n"
                    + "Host: " + gateway.getHost() + ":" + gateway.getPort() + "\r\n"
                    + "User-Agent: " + run.userAgent + "\r\n"
                    + (received.bytes > 0 ? "Range: bytes=" + received.bytes + "-\r\n" : "")
                    + "Connection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String headers = Customer.readHead(in).toLowerCase(Locale.ROOT);
            if (!headers.startsWith("http/1.1 ")) {
                return headers.isEmpty() ? "cut" : "malformed_response";
            }
            int status = Integer.parseInt(headers.substring(9, 12));
            if (status == 200) {
                received.restart(); // the whole file again
            } else if (status != 206 || !headers.contains("\ncontent-range: bytes " + received.bytes + "-")) {
                return "http_" + status + errorCode(in);
            }
            if (headers.contains("\ntransfer-encoding: chunked")) {
                return "chunked";
            }
            byte[] buffer = new byte[64 * 1024];
            int read;
            while ((read = in.read(buffer)) != -1) {
                received.digest.update(buffer, 0, read);
                received.bytes += read;
            }
            return received.bytes == size ? "ok" : received.bytes > size ? "too_long" : "cut";
        } catch (SocketTimeoutException e) {
            return "timeout";
        } catch (IOException e) {
            return "io_error";
        }
    }

    /** The problem's {@code error} code of a refusal's body, as {@code :<code>}, or nothing. */
    private static String errorCode(InputStream in) {
        try {
            String code = AdminApi.JSON
                    .readTree(in.readNBytes(16 * 1024))
                    .path("error")
                    .asString();
            return code.isEmpty() ? "" : ":" + code;
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** When bench/fault-test killed the victim and when its restart was ready (epoch ms); waits for the restart. */
    private static Map<String, Long> awaitFaultTimes(Path file, String victim)
            throws IOException, InterruptedException {
        Map<String, Long> times = new HashMap<>();
        if (victim.equals("none")) {
            return times;
        }
        long deadline = System.nanoTime() + 600_000_000_000L;
        while (System.nanoTime() < deadline) {
            times.clear();
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file)) {
                    String[] pair = line.split("=", 2);
                    if (pair.length == 2) {
                        times.put(pair[0].trim(), Long.parseLong(pair[1].trim()));
                    }
                }
            }
            if (times.containsKey("ready_at")) {
                return times;
            }
            Thread.sleep(500);
        }
        System.out.println("the victim's restart was not reported ready within 600 s (" + file + ")");
        return times;
    }

    /** Reads every link's uses from token-service until no use is reserved any more, or {@code seconds} passed. */
    private static void settle(AdminApi admin, List<LinkRun> runs, int seconds)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        List<LinkRun> open = runs;
        while (true) {
            List<LinkRun> reserved = new ArrayList<>();
            for (LinkRun run : open) {
                JsonNode uses = admin.token(run.link.tokenId()).path("uses");
                run.consumed = uses.path("consumed").asLong();
                run.reserved = uses.path("reserved").asLong();
                if (run.reserved > 0) {
                    reserved.add(run);
                }
            }
            if (reserved.isEmpty() || System.nanoTime() > deadline) {
                System.out.printf("token-service: %d links still hold a reserved use%n", reserved.size());
                return;
            }
            open = reserved;
            Thread.sleep(2000);
        }
    }

    /** Counts audit-service's completed downloads per link, waiting until they match token-service's total or time is up. */
    private static void awaitAudit(AdminApi admin, URI auditService, Instant from, List<LinkRun> runs, int seconds)
            throws IOException, InterruptedException {
        Map<String, LinkRun> byToken = new HashMap<>();
        runs.forEach(run -> byToken.put(run.link.tokenId(), run));
        long consumed =
                runs.stream().mapToLong(run -> Math.max(0, run.consumed)).sum();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (true) {
            runs.forEach(run -> run.auditCompleted = 0);
            long completed = 0;
            for (int page = 0; ; page++) {
                JsonNode logs = admin.downloadLogs(auditService, from, page, 500);
                for (JsonNode row : logs.path("items")) {
                    LinkRun run = byToken.get(row.path("token_id").asString());
                    if (run != null && row.path("outcome").asString().equals("completed")) {
                        run.auditCompleted++;
                        completed++;
                    }
                }
                if (page + 1 >= logs.path("total_pages").asInt()) {
                    break;
                }
            }
            if (completed == consumed || System.nanoTime() > deadline) {
                System.out.printf(
                        "audit-service: %d completed downloads recorded, token-service consumed %d uses%n",
                        completed, consumed);
                return;
            }
            Thread.sleep(2000);
        }
    }

    /**
     * Redeems every delivered link once more from a new address ({@code clients} at a time); a second whole copy is a
     * doubled download.
     */
    private static void probe(
            URI gateway,
            List<LinkRun> runs,
            SourceAddresses addresses,
            String sha256,
            long size,
            int timeoutMillis,
            int clients)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int client = 0; client < clients; client++) {
            Thread thread = new Thread(() -> {
                int index;
                while ((index = next.getAndIncrement()) < runs.size()) {
                    probe(gateway, runs.get(index), addresses, sha256, size, timeoutMillis);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }

    private static void probe(
            URI gateway, LinkRun run, SourceAddresses addresses, String sha256, long size, int timeoutMillis) {
        if (run.copies == 0) {
            return;
        }
        LinkRun again = new LinkRun(run.link, addresses.next(), "drawbridge-bench-fault/1.0 (probe)");
        try (Customer customer = Customer.connect(gateway, again.from, timeoutMillis)) {
            Customer.Reply reply = customer.redeem(run.link.token(), again.userAgent);
            run.probeOutcome = reply.outcome();
            if (reply.granted()) {
                URI grant = URI.create(AdminApi.JSON
                        .readTree(reply.body())
                        .path("download_url")
                        .asString());
                Received received = new Received();
                if (fetch(gateway, grant, again, received, size, timeoutMillis).equals("ok")
                        && HexFormat.of().formatHex(received.digest.digest()).equals(sha256)) {
                    run.probeCopies = 1;
                }
            }
        } catch (IOException e) {
            run.probeOutcome = "io_error";
        }
    }

    private static int report(String victim, List<LinkRun> runs, Map<String, Long> times, long endedAt) {
        int completed = 0;
        int gaveUp = 0;
        int uncounted = 0;
        int burnt = 0;
        int doubled = 0;
        int unsettled = 0;
        int auditMiscounted = 0;
        long redeems = 0;
        long fetches = 0;
        Map<String, Integer> gaveUpWith = new TreeMap<>();
        Map<String, Integer> probeOutcomes = new TreeMap<>();
        Map<String, Integer> attempts = new TreeMap<>();
        for (LinkRun run : runs) {
            run.attempts.forEach((outcome, count) -> attempts.merge(outcome, count, Integer::sum));
            redeems += run.redeems;
            fetches += run.fetches;
            completed += run.copies;
            if (run.copies == 0) {
                gaveUp++;
                gaveUpWith.merge(run.lastError, 1, Integer::sum);
            } else {
                probeOutcomes.merge(run.probeOutcome, 1, Integer::sum);
            }
            if (run.copies > run.consumed) {
                uncounted++;
            }
            if (run.consumed > run.copies) {
                burnt++;
            }
            if (run.probeCopies > 0) {
                doubled++;
            }
            if (run.reserved > 0) {
                unsettled++;
            }
            if (run.auditCompleted != run.consumed) {
                auditMiscounted++;
            }
        }
        System.out.println();
        System.out.printf(
                "links: %d; redeem requests %d, GETs %d; completed %d, given up %d %s%n",
                runs.size(), redeems, fetches, completed, gaveUp, gaveUpWith);
        System.out.printf("every attempt's outcome: %s%n", attempts);
        System.out.printf(
                "lost: %d (%d completed but not counted as a use, %d uses consumed without a copy)%n",
                uncounted + burnt, uncounted, burnt);
        System.out.printf(
                "doubled: %d (a second whole copy of a delivered link); probe answers %s%n", doubled, probeOutcomes);
        System.out.printf("unsettled: %d links still hold a reserved use%n", unsettled);
        runs.stream()
                .filter(run -> run.copies != run.consumed || run.reserved > 0 || run.probeCopies > 0)
                .limit(10)
                .forEach(run -> System.out.printf(
                        "  link %s: copies %d, consumed %d, reserved %d, audit %d, probe %s, redeems %d, GETs %d, last"
                                + " error %s%n",
                        run.link.tokenId(),
                        run.copies,
                        run.consumed,
                        run.reserved,
                        run.auditCompleted,
                        run.probeOutcome,
                        run.redeems,
                        run.fetches,
                        run.lastError));
        System.out.printf(
                "audit miscounted: %d links whose completed downloads in audit-service differ from token-service's uses%n",
                auditMiscounted);
        Long killedAt = times.get("killed_at");
        Long readyAt = times.get("ready_at");
        if (killedAt != null) {
            long firstAfter = runs.stream()
                    .filter(run -> run.deliveredFetchStart >= killedAt)
                    .mapToLong(run -> run.deliveredAt)
                    .min()
                    .orElse(-1);
            System.out.printf(
                    "recovery: %s restarted and ready %.1f s after the kill; first download started after the kill"
                            + " completed %s after it; run ended %.1f s after the kill%n",
                    victim,
                    readyAt == null ? Double.NaN : (readyAt - killedAt) / 1000.0,
                    firstAfter < 0 ? "never" : String.format("%.1f s", (firstAfter - killedAt) / 1000.0),
                    (endedAt - killedAt) / 1000.0);
        }
        boolean clean =
                gaveUp == 0 && uncounted == 0 && burnt == 0 && doubled == 0 && unsettled == 0 && auditMiscounted == 0;
        System.out.println(clean ? "RESULT: clean" : "RESULT: NOT clean");
        return clean ? 0 : 1;
    }
}
