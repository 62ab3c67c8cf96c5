package io.drawbridge.embedded;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A real S3 API server: S3Proxy with its filesystem backend, SigV4 with a fixed key, path-style buckets. It runs as
 * its own JVM from its self-contained jar because embedding it would put about 150 jars (and other versions of many
 * we use) on the caller's classpath.
 */
final class S3ProxyServer implements AutoCloseable {

    /** Overrides where the self-contained jar is; surefire sets it for every module. */
    static final String JAR_PROPERTY = "drawbridge.s3proxy.jar";

    /** Concurrent requests S3Proxy serves (one thread each). */
    static final int JETTY_THREADS = 1200;

    /** Extra JVM options for the S3Proxy process, space separated. */
    static final String JVM_OPTIONS_PROPERTY = "drawbridge.s3proxy.jvm-options";

    private static final String VERSION = "4.1.0";
    private static final Path REPO_RELATIVE_JAR = Path.of("infra", "embedded", "target", "s3proxy", "s3proxy.jar");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private static final String LOGBACK =
            """
            <configuration>
              <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>
              </appender>
              <root level="WARN"><appender-ref ref="OUT"/></root>
            </configuration>
            """;

    private final Process process;
    private final String endpoint;
    private final Path logFile;

    private S3ProxyServer(Process process, String endpoint, Path logFile) {
        this.process = process;
        this.endpoint = endpoint;
        this.logFile = logFile;
    }

    /** Starts the process and returns at once; {@link #awaitReady()} waits until it answers. */
    static S3ProxyServer launch(int port, Path workDir, String accessKey, String secretKey) throws IOException {
        Path jar = locateJar();
        Path objects = Files.createDirectories(workDir.resolve("objects"));
        String endpoint = "http://127.0.0.1:" + port;
        Path config = workDir.resolve("s3proxy.conf");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "s3proxy.endpoint=" + endpoint,
                        "s3proxy.authorization=aws-v2-or-v4",
                        "s3proxy.identity=" + accessKey,
                        "s3proxy.credential=" + secretKey,
                        "jclouds.provider=filesystem-nio2",
                        "jclouds.filesystem.basedir=" + objects.toAbsolutePath(),
                        // Every download streaming to a slow client holds one of S3Proxy's (blocking) Jetty threads
                        // for its whole length; the default 200 made the stand-in for S3 the limit on slow streams.
                        "s3proxy.jetty.max-threads=" + JETTY_THREADS,
                        // The console's uploads go from the browser straight to S3 with presigned PUTs: a
                        // cross-origin request, allowed here as a CORS rule on the bucket would allow it in S3.
                        "s3proxy.cors-allow-all=true",
                        ""),
                StandardCharsets.UTF_8);
        Path logback = workDir.resolve("logback.xml");
        Files.writeString(logback, LOGBACK, StandardCharsets.UTF_8);
        Path logFile = workDir.resolve("s3proxy.log");

        List<String> jvmOptions = new ArrayList<>(List.of(
                "-Xms16m",
                "-Xmx192m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Xss512k",
                "-XX:+ExitOnOutOfMemoryError",
                "-Dlogback.configurationFile=" + logback.toAbsolutePath(),
                "-Djava.io.tmpdir=" + workDir.toAbsolutePath()));
        String extra = System.getProperty(JVM_OPTIONS_PROPERTY, "").trim();
        if (!extra.isEmpty()) {
            Collections.addAll(jvmOptions, extra.split("\\s+"));
        }
        Process process = ChildJvm.builder(
                        workDir,
                        jvmOptions,
                        List.of(jar),
                        "org.gaul.s3proxy.Main",
                        List.of("--properties", config.toAbsolutePath().toString()))
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()))
                .start();
        return new S3ProxyServer(process, endpoint, logFile);
    }

    /** Waits until S3Proxy accepts connections and creates {@code bucket} unless it exists (persistent data). */
    void awaitReadyAndCreate(String bucket, String accessKey, String secretKey) throws Exception {
        int port = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!accepts(port)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "S3Proxy exited with code " + process.exitValue() + " during startup:\n" + logTail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not answer within " + READY_TIMEOUT + ":\n" + logTail());
            }
            Thread.sleep(50);
        }
        MinioClient client = MinioClient.builder()
                .endpoint(endpoint)
                .region("us-east-1")
                .credentials(accessKey, secretKey)
                .build();
        if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
            client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        }
    }

    String endpoint() {
        return endpoint;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        ChildJvm.stop(process, STOP_GRACE);
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /**
     * The system property, else the copy infra/embedded's build makes (found from the working directory up, so a
     * test in any module or the dev stack finds it), else the artifact in the local Maven repository.
     */
    static Path locateJar() {
        List<Path> candidates = new ArrayList<>();
        Optional.ofNullable(System.getProperty(JAR_PROPERTY))
                .filter(value -> !value.isBlank())
                .map(Path::of)
                .ifPresent(candidates::add);
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            candidates.add(dir.resolve(REPO_RELATIVE_JAR));
        }
        candidates.add(Path.of(
                System.getProperty("user.home"),
                ".m2",
                "repository",
                "org",
                "gaul",
                "s3proxy",
                VERSION,
                "s3proxy-" + VERSION + "-jar-with-dependencies.jar"));
        return candidates.stream()
                .filter(Files::isRegularFile)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("S3Proxy's jar not found (looked at " + candidates
                        + "); build infra/embedded: ./mvnw -B -q -pl infra/embedded -am install -DskipTests"));
    }

    @Override
    public String toString() {
        return "S3Proxy";
    }
}
