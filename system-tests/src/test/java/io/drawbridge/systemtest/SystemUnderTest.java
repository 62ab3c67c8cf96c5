package io.drawbridge.systemtest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drawbridge.devstack.Stack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the whole system once per test JVM, on free ports, and hands test methods a {@link Drawbridge}: the embedded
 * Kafka, PostgreSQL and S3, an SMTP server, and the five services from the jars this build packaged, each in its own
 * JVM as in production (see {@link Stack}). Stopped when the test plan ends. The jars' paths come from the build
 * ({@code drawbridge.jar.<service>} system properties); without packaged jars ({@code ./mvnw test}) the tests are
 * skipped.
 */
final class SystemUnderTest implements BeforeAllCallback, ParameterResolver {

    private static final Logger log = LoggerFactory.getLogger(SystemUnderTest.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SystemUnderTest.class);

    /**
     * Two settings of the gateway differ from production. Its per-address rate limits (60 page views, then one a second; 20 redeems, then one every 3 s;
     * 5 shares and 2 GiB of shares an hour, 60 share reads a minute)
     * would answer {@code rate_limited} to the bursts these tests send from one address (the limit has tests of its
     * own in download-gateway). Its redeem timeout (3 s) is for production hardware: here five service JVMs, Kafka
     * and PostgreSQL share two cores with the build, and a burst of 64 redeems right after startup can take longer;
     * the timeouts would then also open the redeem circuit breaker for 10 s and fail the next tests for that reason.
     * file-service cuts direct uploads above 16 MB (not 1 GB) into 5 MB parts, so that the browser tests' uploads are
     * multipart (parallel parts, resume).
     */
    static final Map<String, String> ENVIRONMENT = Map.of(
            "SPRING_APPLICATION_JSON",
            "{\"drawbridge\":{\"gateway\":{\"rate-limit\":{\"pages\":{\"capacity\":100000},\"redemptions\":{\"capacity\":100000},"
                    + "\"share-uploads\":{\"capacity\":100000},\"share-upload-mebibytes\":{\"capacity\":1000000},"
                    + "\"share-reads\":{\"capacity\":100000}},\"redeem-timeout\":\"10s\"},"
                    + "\"file\":{\"direct-multipart-threshold\":\"16MB\",\"direct-part-size\":\"5MB\"}}}");

    /** Skips (not fails) the tests when the service jars were not packaged. */
    @Override
    public void beforeAll(ExtensionContext context) {
        serviceJars();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Drawbridge.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Map<String, Path> jars = serviceJars();
        return context.getRoot()
                .getStore(NAMESPACE)
                .computeIfAbsent(Drawbridge.class, key -> start(jars), Drawbridge.class);
    }

    private static Map<String, Path> serviceJars() {
        Map<String, Path> jars = new LinkedHashMap<>();
        for (String service : Stack.SERVICES) {
            String value = System.getProperty("drawbridge.jar." + service, "");
            Path jar = value.isBlank() ? null : Path.of(value);
            assumeTrue(
                    jar != null && Files.isRegularFile(jar) && value.endsWith(".jar"),
                    "system tests need the packaged service jars (./mvnw verify); " + service + " is at '" + value
                            + "'");
            jars.put(service, jar);
        }
        return jars;
    }

    private static Drawbridge start(Map<String, Path> jars) {
        Path workDir = Path.of("target", "system-stack").toAbsolutePath();
        deleteRecursively(workDir);
        log.info("Starting the system under test in {} ...", workDir);
        Stack stack = Stack.start(new Stack.Settings(workDir, jars, ENVIRONMENT, Duration.ofMinutes(3)));
        log.info("System under test ready in {} ms: {}", stack.startupTime().toMillis(), stack);
        try {
            Drawbridge drawbridge =
                    new Drawbridge(stack, EventTap.start(stack.infrastructure().kafkaBootstrapServers()));
            awaitRedemptionRoundTrips(drawbridge);
            return drawbridge;
        } catch (RuntimeException | Error e) {
            stack.close();
            throw e;
        }
    }

    /**
     * "Ready" is per service; a redemption needs the gateway, Kafka and token-service's consumers together. Until
     * three redeems of an unknown (well-formed) link in a row are refused {@code invalid_token} by token-service, the
     * tests would measure a system still warming up.
     */
    private static void awaitRedemptionRoundTrips(Drawbridge drawbridge) {
        long started = System.nanoTime();
        AtomicInteger inARow = new AtomicInteger();
        await("three redeem round trips in a row through the gateway, Kafka and token-service")
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    byte[] secret = new byte[32];
                    RANDOM.nextBytes(secret);
                    String unknown =
                            "dl_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
                    int status = drawbridge.redeemJson(unknown, "warm-up").statusCode();
                    return status == 401 ? inARow.incrementAndGet() >= 3 : inARow.getAndSet(0) < 0;
                });
        log.info("Redemption round trips answered after {} ms more", (System.nanoTime() - started) / 1_000_000);
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
