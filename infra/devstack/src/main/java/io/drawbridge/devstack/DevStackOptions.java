package io.drawbridge.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The command line and environment of the dev stack. Every port has a default that matches the services' own
 * defaults, so that a service started from an IDE finds the stack, and can be moved with {@code --<name>-port=N} or
 * {@code DEVSTACK_<NAME>_PORT} when something else already uses it.
 *
 * @param services the services to start
 * @param allServices every service, skipped ones included: the others still find a skipped one (run from an IDE)
 *     at its URL
 */
record DevStackOptions(
        Path root,
        Path stateDir,
        boolean fresh,
        boolean infraOnly,
        int kafkaPort,
        int dbPort,
        int s3Port,
        int smtpPort,
        int imapPort,
        int prometheusPort,
        int antistockPort,
        List<StackService> services,
        List<StackService> allServices,
        Duration readyTimeout,
        List<String> extraJvmOptions) {

    /** Module name and default port of every service, in the order they are listed. */
    static final Map<String, Integer> SERVICE_PORTS = defaultServicePorts();

    static final String USAGE =
            """
            Usage: bin/dev [--fresh] [--infra-only] [--skip=<service>,...] [--<name>-port=N ...]
                           [--ready-timeout=SECONDS]

              --fresh             delete .devstack/ (data, logs, secrets) and start from scratch
              --infra-only        run Kafka, PostgreSQL and S3 only (source .devstack/env to run services yourself)
              --skip=a,b          do not start these services (e.g. one you run from your IDE)
              --<name>-port=N     move a port; names: kafka (9092), db (5433), s3 (9000), download-gateway (8080),
                                  token-service (8081), file-service (8082), order-sync-service (8083),
                                  audit-service (8084), console (8085), smtp (3025), imap (3143), prometheus (9090),
                                  antistock (8090, the Antistock sandbox);
                                  or set DEVSTACK_<NAME>_PORT, e.g. DEVSTACK_TOKEN_SERVICE_PORT
              --ready-timeout=S   how long services may take to become ready (default 240)
            Environment: DEVSTACK_JAVA_OPTS adds JVM options to every service.
            """;

    static DevStackOptions parse(String[] args, Map<String, String> env, Path workingDir) {
        Map<String, String> values = new LinkedHashMap<>();
        boolean fresh = false;
        boolean infraOnly = false;
        for (String arg : args) {
            if (arg.equals("--fresh")) {
                fresh = true;
            } else if (arg.equals("--infra-only")) {
                infraOnly = true;
            } else if (arg.startsWith("--") && arg.contains("=")) {
                values.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            } else {
                throw new IllegalArgumentException("unknown argument " + arg);
            }
        }
        Path root = findRoot(workingDir);
        List<String> skipped = List.of(values.getOrDefault("skip", "").split(","));
        values.remove("skip");
        for (String name : skipped) {
            if (!name.isBlank() && !SERVICE_PORTS.containsKey(name)) {
                throw new IllegalArgumentException("--skip: no service " + name + " in " + SERVICE_PORTS.keySet());
            }
        }
        List<StackService> services = new ArrayList<>();
        List<StackService> allServices = new ArrayList<>();
        SERVICE_PORTS.forEach((name, port) -> {
            StackService service = new StackService(name, port(name, port, values, env), serviceJar(root, name));
            allServices.add(service);
            if (!skipped.contains(name)) {
                services.add(service);
            }
        });
        Duration readyTimeout = Duration.ofSeconds(Long.parseLong(values.getOrDefault("ready-timeout", "240")));
        values.remove("ready-timeout");
        int kafkaPort = port("kafka", 9092, values, env);
        int dbPort = port("db", 5433, values, env);
        int s3Port = port("s3", 9000, values, env);
        int smtpPort = port("smtp", 3025, values, env);
        int imapPort = port("imap", 3143, values, env);
        int prometheusPort = port("prometheus", 9090, values, env);
        int antistockPort = port("antistock", DevAntistock.DEFAULT_PORT, values, env);
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) " + values.keySet());
        }
        List<String> extraJvmOptions =
                List.of(env.getOrDefault("DEVSTACK_JAVA_OPTS", "").trim().split("\\s+"));
        return new DevStackOptions(
                root,
                root.resolve(".devstack"),
                fresh,
                infraOnly,
                kafkaPort,
                dbPort,
                s3Port,
                smtpPort,
                imapPort,
                prometheusPort,
                antistockPort,
                List.copyOf(services),
                List.copyOf(allServices),
                readyTimeout,
                extraJvmOptions.equals(List.of("")) ? List.of() : extraJvmOptions);
    }

    Path dataDir() {
        return stateDir.resolve("data");
    }

    /** The private copies of the jars the stack runs (see {@link JarCopy}). */
    Path jarDir() {
        return stateDir.resolve("jars");
    }

    Path logDir() {
        return stateDir.resolve("logs");
    }

    /** Where every email the dev stack's SMTP server receives is written as an {@code .eml} file. */
    Path mailDir() {
        return stateDir.resolve("mail");
    }

    /** A service by module name, started or skipped: its URL is still where the others look for it. */
    StackService service(String name) {
        return allServices.stream()
                .filter(service -> service.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    /** Arguments win over the environment, which wins over the default; the option is consumed. */
    private static int port(String name, int defaultPort, Map<String, String> values, Map<String, String> env) {
        String envName = "DEVSTACK_" + name.toUpperCase(Locale.ROOT).replace('-', '_') + "_PORT";
        String value = values.remove(name + "-port");
        if (value == null) {
            value = env.get(envName);
        }
        if (value == null || value.isBlank()) {
            return defaultPort;
        }
        int port = Integer.parseInt(value.trim());
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(name + " port must be 1-65535, was " + port);
        }
        return port;
    }

    /** The repository: the first directory, from the working directory up, that holds the dev stack's module. */
    private static Path findRoot(Path workingDir) {
        for (Path dir = workingDir.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("infra/devstack/pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalArgumentException("run the dev stack inside the Drawbridge repository (bin/dev does)");
    }

    /** The executable jar the module builds: {@code <name>/target/<name>-<version>.jar}. */
    private static Path serviceJar(Path root, String name) {
        Path target = root.resolve(name).resolve("target");
        try (var jars = Files.list(target)) {
            return jars.filter(path -> {
                        String file = path.getFileName().toString();
                        return file.startsWith(name + "-") && file.endsWith(".jar");
                    })
                    .max((a, b) ->
                            a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .orElse(target.resolve(name + ".jar"));
        } catch (IOException e) {
            return target.resolve(name + ".jar");
        }
    }

    private static Map<String, Integer> defaultServicePorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("download-gateway", 8080);
        ports.put("token-service", 8081);
        ports.put("file-service", 8082);
        ports.put("order-sync-service", 8083);
        ports.put("audit-service", 8084);
        ports.put("console", 8085);
        return Collections.unmodifiableMap(ports);
    }
}
