package io.drawbridge.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Issue #4's redemption round trip under load: {@code clients} closed-loop customers redeem links with a large download
 * limit through one gateway for warm-up + duration seconds. Every request comes from its own address with its own
 * User-Agent, so each is a real reservation over Kafka (no grant reuse). The latency is client-side, from connect to
 * the last byte of the answer; only requests started inside the measured window count. Percentiles are exact (all
 * samples sorted, nearest rank).
 */
final class RedeemLatency {

    private static final int MAX_DOWNLOADS = 1000;

    private final Settings settings;

    RedeemLatency(Settings settings) {
        this.settings = settings;
    }

    private record Sample(long startNanos, long nanos, String outcome) implements ClosedLoop.Sample {}

    int run() throws Exception {
        URI gateway = settings.uris("gateway", settings.env("DRAWBRIDGE_DOWNLOAD_GATEWAY_URL", "http://127.0.0.1:8080"))
                .get(0);
        int clients = settings.number("clients", 50);
        int warmupSeconds = settings.number("warmup", 10);
        int durationSeconds = settings.number("duration", 30);
        // token-service caps max_downloads at 1000: each client cycles through 4 links, 4000 reservations each.
        int links = settings.number("links", clients * 4);
        int timeoutMillis = settings.number("timeout-ms", 15_000);
        AdminApi admin = settings.adminApi();
        SourceAddresses addresses = new SourceAddresses();

        byte[] content = new byte[1024];
        ThreadLocalRandom.current().nextBytes(content);
        String fileId = admin.uploadFile("bench-latency.bin", content);
        List<AdminApi.Link> issued = admin.issueBatch(
                fileId, MAX_DOWNLOADS, links, "bench-latency-" + Instant.now().getEpochSecond());
        System.out.printf(
                "redeem-latency: %d clients (closed loop), %d s warm-up + %d s measured, against %s%n",
                clients, warmupSeconds, durationSeconds, gateway);
        System.out.printf(
                "  %d links (one bulk API call) with max_downloads %d, cycled by the clients;"
                        + " every request: own source address + User-Agent%n",
                issued.size(), MAX_DOWNLOADS);

        URI tokenService = settings.uris(
                        "token-service", settings.env("DRAWBRIDGE_TOKEN_SERVICE_URL", "http://127.0.0.1:8081"))
                .get(0);
        String gatewayBefore = admin.prometheus(gateway);
        String tokenServiceBefore = admin.prometheus(tokenService);
        ClosedLoop.Result<Sample> result =
                ClosedLoop.run(clients, warmupSeconds, durationSeconds, (client, until, samples) -> {
                    List<String> tokens = new ArrayList<>();
                    for (int i = client; i < issued.size(); i += clients) {
                        tokens.add(issued.get(i).token());
                    }
                    if (tokens.isEmpty()) {
                        tokens.add(issued.get(client % issued.size()).token());
                    }
                    loop(gateway, tokens, client, addresses, timeoutMillis, until, samples);
                });
        List<Sample> measured = result.measured();
        String gatewayAfter = admin.prometheus(gateway);
        String tokenServiceAfter = admin.prometheus(tokenService);
        ClosedLoop.printOutcomes(result);
        System.out.printf(
                "measured: %d requests in %d s = %.1f redemptions/s%n",
                measured.size(), durationSeconds, measured.size() / (double) durationSeconds);
        print("all requests", measured.stream().mapToLong(Sample::nanos).toArray());
        print(
                "granted only",
                measured.stream()
                        .filter(sample -> sample.outcome().equals("granted"))
                        .mapToLong(Sample::nanos)
                        .toArray());
        System.out.println("server side, whole run incl. warm-up (means from the services' Prometheus timers):");
        System.out.printf(
                "  gateway %s: drawbridge.redemption (publish → reply) mean %.1f ms over %.0f%n",
                gateway,
                mean(gatewayBefore, gatewayAfter, "drawbridge_redemption_seconds"),
                count(gatewayBefore, gatewayAfter, "drawbridge_redemption_seconds"));
        double polls = count(tokenServiceBefore, tokenServiceAfter, "drawbridge_redemption_poll_seconds");
        System.out.printf(
                "  token-service %s: drawbridge.redemption.poll (a poll decided) mean %.1f ms over %.0f polls,"
                        + " %.1f requests per poll%n",
                tokenService,
                mean(tokenServiceBefore, tokenServiceAfter, "drawbridge_redemption_poll_seconds"),
                polls,
                (AdminApi.sum(tokenServiceAfter, "drawbridge_redemption_poll_size_sum")
                                - AdminApi.sum(tokenServiceBefore, "drawbridge_redemption_poll_size_sum"))
                        / polls);
        System.out.printf(
                "  token-service %s: drawbridge.redemption.processing (poll start → reply acknowledged) mean %.1f ms"
                        + " over %.0f%n",
                tokenService,
                mean(tokenServiceBefore, tokenServiceAfter, "drawbridge_redemption_processing_seconds"),
                count(tokenServiceBefore, tokenServiceAfter, "drawbridge_redemption_processing_seconds"));
        return result.outcomes().keySet().stream().allMatch("granted"::equals) ? 0 : 1;
    }

    private static void loop(
            URI gateway,
            List<String> tokens,
            int client,
            SourceAddresses addresses,
            int timeoutMillis,
            long until,
            List<Sample> samples) {
        long sequence = 0;
        while (System.nanoTime() < until) {
            InetAddress from = addresses.next();
            String token = tokens.get((int) (sequence % tokens.size()));
            String userAgent = "drawbridge-bench-latency/1.0 (client " + client + ", request " + sequence++ + ")";
            long begin = System.nanoTime();
            String outcome;
            try (Customer customer = Customer.connect(gateway, from, timeoutMillis)) {
                outcome = customer.redeem(token, userAgent).outcome();
            } catch (IOException e) {
                outcome = "io_error";
            }
            samples.add(new Sample(begin, System.nanoTime() - begin, outcome));
        }
    }

    private static void print(String label, long[] nanos) {
        if (nanos.length == 0) {
            System.out.printf("%-13s no samples%n", label);
            return;
        }
        java.util.Arrays.sort(nanos);
        System.out.printf(
                "%-13s n=%d  p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  p99.9 %.1f ms  max %.1f ms  (min %.1f ms)%n",
                label,
                nanos.length,
                ClosedLoop.millis(nanos, 0.50),
                ClosedLoop.millis(nanos, 0.90),
                ClosedLoop.millis(nanos, 0.99),
                ClosedLoop.millis(nanos, 0.999),
                nanos[nanos.length - 1] / 1e6,
                nanos[0] / 1e6);
    }

    private static double count(String before, String after, String timer) {
        return AdminApi.sum(after, timer + "_count") - AdminApi.sum(before, timer + "_count");
    }

    private static double mean(String before, String after, String timer) {
        double seconds = AdminApi.sum(after, timer + "_sum") - AdminApi.sum(before, timer + "_sum");
        double count = count(before, after, timer);
        return count == 0 ? Double.NaN : seconds / count * 1000;
    }
}
