package io.drawbridge.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * The closed loop the load benchmarks share: {@code clients} threads each run cycles back to back for warm-up +
 * duration seconds. Only cycles started inside the measured window count; those started before are the warm-up's.
 * Percentiles are exact (all samples sorted, nearest rank).
 */
final class ClosedLoop {

    private ClosedLoop() {}

    /** One cycle: when it started ({@link System#nanoTime}) and how it ended ("ok", or the step and reason). */
    interface Sample {
        long startNanos();

        String outcome();
    }

    /** One client: runs cycles until {@code until} ({@link System#nanoTime}), adding one sample per cycle. */
    interface Client<S extends Sample> {
        void run(int client, long until, List<S> samples);
    }

    /** The cycles started in the measured window, and how the warm-up's ended. */
    record Result<S extends Sample>(List<S> measured, Map<String, Integer> warmupOutcomes, int durationSeconds) {

        Map<String, Integer> outcomes() {
            Map<String, Integer> outcomes = new TreeMap<>();
            measured.forEach(sample -> outcomes.merge(sample.outcome(), 1, Integer::sum));
            return outcomes;
        }

        long[] nanos(ToLongFunction<S> step) {
            return measured.stream().mapToLong(step).filter(n -> n >= 0).toArray();
        }
    }

    static <S extends Sample> Result<S> run(int clients, int warmupSeconds, int durationSeconds, Client<S> client)
            throws InterruptedException {
        long measureFrom = System.nanoTime() + warmupSeconds * 1_000_000_000L;
        long measureUntil = measureFrom + durationSeconds * 1_000_000_000L;
        List<List<S>> perClient = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int id = 0; id < clients; id++) {
            List<S> samples = new ArrayList<>();
            perClient.add(samples);
            int clientId = id;
            Thread thread = new Thread(() -> client.run(clientId, measureUntil, samples), "client-" + id);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        List<S> measured = new ArrayList<>();
        Map<String, Integer> warmupOutcomes = new TreeMap<>();
        for (List<S> samples : perClient) {
            for (S sample : samples) {
                if (sample.startNanos() >= measureFrom && sample.startNanos() < measureUntil) {
                    measured.add(sample);
                } else if (sample.startNanos() < measureFrom) {
                    warmupOutcomes.merge(sample.outcome(), 1, Integer::sum);
                }
            }
        }
        return new Result<>(measured, warmupOutcomes, durationSeconds);
    }

    /** The outcome lines (bench/lib.sh counts the operations of a run from them). */
    static void printOutcomes(Result<?> result) {
        System.out.println();
        System.out.println("warm-up outcomes:   " + result.warmupOutcomes());
        System.out.println("measured outcomes:  " + result.outcomes());
    }

    /**
     * The outcome lines and the cycle rate, for benchmarks whose cycle succeeds as "ok"; 0 when every measured cycle
     * did (the exit status), 1 otherwise.
     */
    static int printCycles(Result<?> result) {
        printOutcomes(result);
        long ok =
                result.measured().stream().filter(s -> s.outcome().equals("ok")).count();
        int seconds = result.durationSeconds();
        System.out.printf(
                "measured: %d cycles in %d s = %.1f cycles/s (%d ok = %.1f/s, %d errors)%n",
                result.measured().size(),
                seconds,
                result.measured().size() / (double) seconds,
                ok,
                ok / (double) seconds,
                result.measured().size() - ok);
        return ok == result.measured().size() && !result.measured().isEmpty() ? 0 : 1;
    }

    /** p50, p95, p99 and max of one step's times. */
    static void printStep(String label, long[] nanos) {
        if (nanos.length == 0) {
            System.out.printf("%-13s no samples%n", label);
            return;
        }
        Arrays.sort(nanos);
        System.out.printf(
                "%-13s n=%d  p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  max %.1f ms%n",
                label,
                nanos.length,
                millis(nanos, 0.50),
                millis(nanos, 0.95),
                millis(nanos, 0.99),
                nanos[nanos.length - 1] / 1e6);
    }

    /** Nearest-rank percentile of sorted samples. */
    static double millis(long[] sorted, double quantile) {
        int rank = (int) Math.ceil(quantile * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }
}
