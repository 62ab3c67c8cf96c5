package io.drawbridge.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Entry point of the load tool behind {@code bench/redeem-race}, {@code bench/redeem-latency}, {@code
 * bench/delivery-cycle} and {@code bench/slow-clients}: those scripts source
 * the dev stack's {@code .devstack/env}, start what they need and call this with a scenario name and options.
 */
public final class Bench {

    private Bench() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: bench race|latency|delivery|slow-clients|share|faults [--option=value ...]");
            System.exit(2);
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || !arg.contains("=")) {
                System.err.println("bench: options are --name=value, got " + arg);
                System.exit(2);
            }
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        Settings settings = new Settings(options, System.getenv());
        int code =
                switch (args[0]) {
                    case "race" -> new RedeemRace(settings).run();
                    case "latency" -> new RedeemLatency(settings).run();
                    case "delivery" -> new DeliveryCycle(settings).run();
                    case "slow-clients" -> new SlowClients(settings).run();
                    case "share" -> new ShareCycle(settings).run();
                    case "faults" -> new FaultRun(settings).run();
                    default -> {
                        System.err.println("bench: unknown scenario " + args[0]);
                        yield 2;
                    }
                };
        System.exit(code);
    }
}
