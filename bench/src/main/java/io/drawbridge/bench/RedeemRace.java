package io.drawbridge.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import tools.jackson.databind.JsonNode;

/**
 * Issue #4's race: a fresh 1-download link per round, {@code concurrency} customers (each its own address and
 * User-Agent, so no grant reuse applies) connected to the gateways in turn and released at once, counted by outcome.
 * Exactly one must be granted each round; token-service's own record of the link (grants, reserved + consumed uses)
 * is checked too, so a grant whose reply the gateway dropped (timeout) would still be seen.
 */
final class RedeemRace {

    private final Settings settings;

    RedeemRace(Settings settings) {
        this.settings = settings;
    }

    int run() throws Exception {
        List<URI> gateways = settings.uris("gateways", "http://127.0.0.1:8080");
        List<URI> tokenServices = settings.uris("token-services", "http://127.0.0.1:8081");
        int rounds = settings.number("rounds", 200);
        int concurrency = settings.number("concurrency", 64);
        int timeoutMillis = settings.number("timeout-ms", 15_000);
        AdminApi admin = settings.adminApi();
        SourceAddresses addresses = new SourceAddresses();

        byte[] content = new byte[1024];
        ThreadLocalRandom.current().nextBytes(content);
        String fileId = admin.uploadFile("bench-race.bin", content);
        System.out.printf(
                "redeem-race: %d rounds x %d concurrent POST /api/v1/downloads, fresh 1-download link per round%n",
                rounds, concurrency);
        System.out.println("  gateways:       " + gateways);
        System.out.println("  token-services: " + tokenServices + " (consumer group token-service.redeem)");
        System.out.println("  file:           " + fileId + " (1 KiB)");
        Map<URI, String> before = scrape(admin, gateways, tokenServices);

        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        Map<String, Integer> totals = new TreeMap<>();
        Map<Integer, Integer> grantsPerRound = new TreeMap<>();
        Map<Integer, Integer> serverGrantsPerRound = new TreeMap<>();
        int badRounds = 0;
        long started = System.nanoTime();
        try {
            for (int round = 1; round <= rounds; round++) {
                AdminApi.Link link = admin.issue(fileId, 1);
                CountDownLatch connected = new CountDownLatch(concurrency);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Customer.Reply>> replies = new ArrayList<>();
                for (int client = 0; client < concurrency; client++) {
                    URI gateway = gateways.get(client % gateways.size());
                    InetAddress from = addresses.next();
                    String userAgent = "drawbridge-bench-race/1.0 (round " + round + ", client " + client + ")";
                    replies.add(pool.submit(
                            () -> race(gateway, from, link.token(), userAgent, timeoutMillis, connected, go)));
                }
                connected.await();
                long released = System.nanoTime();
                go.countDown();
                Map<String, Integer> outcomes = new TreeMap<>();
                int[] grantsByGateway = new int[gateways.size()];
                for (int client = 0; client < concurrency; client++) {
                    Customer.Reply reply = replies.get(client).get();
                    outcomes.merge(reply.outcome(), 1, Integer::sum);
                    totals.merge(reply.outcome(), 1, Integer::sum);
                    if (reply.granted()) {
                        grantsByGateway[client % gateways.size()]++;
                    }
                }
                long millis = (System.nanoTime() - released) / 1_000_000;
                int grants = outcomes.getOrDefault("granted", 0);
                JsonNode token = admin.token(link.tokenId());
                int serverGrants = token.path("grants").size();
                int held = token.path("uses").path("reserved").asInt()
                        + token.path("uses").path("consumed").asInt();
                grantsPerRound.merge(grants, 1, Integer::sum);
                serverGrantsPerRound.merge(serverGrants, 1, Integer::sum);
                boolean ok = grants == 1 && serverGrants == 1 && held == 1;
                if (!ok) {
                    badRounds++;
                }
                System.out.printf(
                        "round %3d  grants %d (by gateway %s)  token-service: grants %d, uses held %d  %s  %d ms%s%n",
                        round,
                        grants,
                        java.util.Arrays.toString(grantsByGateway),
                        serverGrants,
                        held,
                        outcomes,
                        millis,
                        ok ? "" : "   <-- NOT EXACTLY ONE");
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<URI, String> after = scrape(admin, gateways, tokenServices);

        System.out.println();
        System.out.printf("rounds: %d in %.1f s; requests: %d%n", rounds, seconds, rounds * concurrency);
        System.out.println("grants per round (gateway answers 200 with download_url): " + histogram(grantsPerRound));
        System.out.println(
                "grants per round (token-service's record of the link):    " + histogram(serverGrantsPerRound));
        System.out.println("outcomes of all requests: " + totals);
        System.out.println("rounds with other than exactly one grant: " + badRounds);
        System.out.println("work per instance during the run (Prometheus counters, after - before):");
        for (URI gateway : gateways) {
            System.out.printf(
                    "  download-gateway %s: redemptions answered %.0f (granted %.0f)%n",
                    gateway,
                    delta(before, after, gateway, "drawbridge_redemption_seconds_count"),
                    delta(before, after, gateway, "drawbridge_redemption_seconds_count", "outcome=\"granted\""));
        }
        for (URI tokenService : tokenServices) {
            System.out.printf(
                    "  token-service    %s: requests decided %.0f (granted %.0f)%n",
                    tokenService,
                    delta(before, after, tokenService, "drawbridge_redemptions_total"),
                    delta(before, after, tokenService, "drawbridge_redemptions_total", "outcome=\"granted\""));
        }
        return badRounds == 0 ? 0 : 1;
    }

    private static Customer.Reply race(
            URI gateway,
            InetAddress from,
            String token,
            String userAgent,
            int timeoutMillis,
            CountDownLatch connected,
            CountDownLatch go)
            throws InterruptedException {
        Customer customer = null;
        try {
            customer = Customer.connect(gateway, from, timeoutMillis);
        } catch (IOException e) {
            connected.countDown();
            return new Customer.Reply(0, "connect_error", e.toString());
        }
        try (Customer c = customer) {
            connected.countDown();
            go.await();
            return c.redeem(token, userAgent);
        } catch (IOException e) {
            return new Customer.Reply(0, "io_error", e.toString());
        }
    }

    private static Map<URI, String> scrape(AdminApi admin, List<URI> gateways, List<URI> tokenServices) {
        Map<URI, String> texts = new java.util.HashMap<>();
        for (URI uri : gateways) {
            texts.put(uri, admin.prometheus(uri));
        }
        for (URI uri : tokenServices) {
            texts.put(uri, admin.prometheus(uri));
        }
        return texts;
    }

    private static double delta(
            Map<URI, String> before, Map<URI, String> after, URI service, String series, String... labels) {
        return AdminApi.sum(after.get(service), series, labels) - AdminApi.sum(before.get(service), series, labels);
    }

    private static String histogram(Map<Integer, Integer> counts) {
        StringBuilder text = new StringBuilder();
        counts.forEach((grants, rounds) -> text.append(text.length() == 0 ? "" : ", ")
                .append(rounds)
                .append(rounds == 1 ? " round with " : " rounds with ")
                .append(grants));
        return text.toString();
    }
}
