package io.drawbridge.cli;

import io.drawbridge.cli.Api.Failure;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code bin/drawbridge}: the seller's command line. It speaks to the admin APIs with an API key (scopes decide what
 * it may do: {@code files:write} to upload and publish, {@code links:issue} to issue, {@code admin} to revoke,
 * {@code read} for stats). Output is for people, or JSON with {@code --json}; exit codes: 0 done, 2 bad usage,
 * 3 not allowed (no key, unknown key, missing scope), 4 refused (validation, not found, conflict), 5 unreachable or
 * failing service.
 */
@Command(
        name = "drawbridge",
        scope = CommandLine.ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        version = "drawbridge 0.1.0",
        description = "Upload releases, issue and revoke download links, read stats.",
        subcommands = {
            DrawbridgeCli.Login.class,
            DrawbridgeCli.Upload.class,
            DrawbridgeCli.Links.class,
            DrawbridgeCli.Stats.class,
            DrawbridgeCli.Logs.class,
            CommandLine.HelpCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done",
            "2:bad usage",
            "3:not allowed (no key, unknown or revoked key, missing scope)",
            "4:refused (validation, not found, conflict)",
            "5:a service is unreachable or failing"
        })
public final class DrawbridgeCli {

    @Option(
            names = "--json",
            scope = CommandLine.ScopeType.INHERIT,
            description = "Print the answer as JSON (for scripts).")
    boolean json;

    Map<String, String> env = System.getenv();
    PrintWriter out;
    PrintWriter err;

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        DrawbridgeCli cli = new DrawbridgeCli();
        cli.env = env;
        cli.out = out;
        cli.err = err;
        CommandLine line = new CommandLine(cli);
        line.setOut(out);
        line.setErr(err);
        line.setExecutionExceptionHandler((failure, command, parsed) -> {
            if (failure instanceof Failure refusal) {
                if (cli.json) {
                    ObjectNode problem = Api.JSON.createObjectNode();
                    problem.put("error", refusal.error);
                    problem.put("detail", refusal.getMessage());
                    out.println(problem);
                } else {
                    err.println("drawbridge: " + refusal.error
                            + (refusal.getMessage().isBlank() ? "" : ": " + refusal.getMessage()));
                }
                return refusal.exitCode;
            }
            throw failure;
        });
        return line.execute(args);
    }

    CliConfig config() {
        try {
            return CliConfig.load(env);
        } catch (IOException e) {
            throw new Failure(2, "config_unreadable", e.getMessage());
        }
    }

    /** Adds {@code name=value} (encoded) to the path's query when a value is given. */
    static void query(StringBuilder path, String name, String value) {
        if (value != null && !value.isBlank()) {
            path.append(path.indexOf("?") < 0 ? '?' : '&')
                    .append(name)
                    .append('=')
                    .append(java.net.URLEncoder.encode(value.trim(), StandardCharsets.UTF_8));
        }
    }

    void print(JsonNode answer, String human) {
        out.println(json ? answer.toString() : human);
    }

    @Command(name = "login", description = "Store an API key (and where the services are) in your user config.")
    static final class Login implements Callable<Integer> {
        @ParentCommand
        DrawbridgeCli cli;

        @Option(names = "--key", description = "The API key (dbk_...); read from standard input when omitted.")
        String key;

        @Option(names = "--token-service", description = "token-service base URL")
        String tokenService;

        @Option(names = "--file-service", description = "file-service base URL")
        String fileService;

        @Option(names = "--audit-service", description = "audit-service base URL")
        String auditService;

        @Override
        public Integer call() throws IOException {
            String value = key;
            if (value == null) {
                value = new String(System.in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            if (!value.startsWith("dbk_")) {
                throw new Failure(2, "validation_failed", "an API key starts with dbk_ (create one in the console)");
            }
            Path file = CliConfig.file(cli.env);
            Properties values = CliConfig.read(file);
            values.setProperty(CliConfig.API_KEY, value);
            put(values, CliConfig.TOKEN_SERVICE, tokenService);
            put(values, CliConfig.FILE_SERVICE, fileService);
            put(values, CliConfig.AUDIT_SERVICE, auditService);
            CliConfig.write(file, values);
            ObjectNode answer = Api.JSON.createObjectNode().put("config", file.toString());
            cli.print(answer, "Saved the key to " + file + " (mode 600).");
            return 0;
        }

        private void put(Properties values, String name, String given) {
            String value = given != null ? given : cli.env.get(name);
            if (value != null && !value.isBlank()) {
                values.setProperty(name, value);
            }
        }
    }

    @Command(
            name = "upload",
            description = "Upload files straight to storage (parallel parts, progress on stderr); with --product and"
                    + " --version, publish them as a release.")
    static final class Upload implements Callable<Integer> {
        @ParentCommand
        DrawbridgeCli cli;

        @Parameters(arity = "1..*", paramLabel = "FILE")
        List<Path> files;

        @Option(names = "--product", description = "product SKU to publish to")
        String product;

        @Option(names = "--version", description = "release version to publish")
        String version;

        @Option(names = "--platform", defaultValue = "any", description = "windows, macos, linux or any (default)")
        String platform;

        @Option(names = "--parallel", defaultValue = "3", description = "parts in flight (default 3)")
        int parallel;

        @Override
        public Integer call() throws Exception {
            CliConfig config = cli.config();
            Api api = new Api(config.apiKey());
            if ((product == null) != (version == null)) {
                throw new Failure(2, "validation_failed", "--product and --version go together");
            }
            ArrayNode stored = Api.JSON.createArrayNode();
            List<String> ids = new ArrayList<>();
            for (Path file : files) {
                if (!Files.isRegularFile(file)) {
                    throw new Failure(2, "validation_failed", file + " is not a file");
                }
                JsonNode done = upload(api, config.fileService(), file);
                stored.add(done);
                ids.add(done.path("id").asText());
                if (!cli.json) {
                    cli.out.println(done.path("name").asText() + "  "
                            + done.path("size").asLong() + " bytes  sha256 "
                            + done.path("sha256").asText() + "  id "
                            + done.path("id").asText());
                }
            }
            ObjectNode answer = Api.JSON.createObjectNode();
            answer.set("files", stored);
            if (product != null) {
                Map<String, Object> request = new LinkedHashMap<>();
                request.put("version", version);
                request.put("files", Map.of(platform, ids.size() == 1 ? ids.get(0) : ids));
                JsonNode release = api.post(config.fileService(), "/api/v1/products/" + product + "/releases", request);
                answer.set("release", release);
                if (!cli.json) {
                    cli.out.println("Published " + product + " " + version + " (" + platform + ")");
                }
            }
            if (cli.json) {
                cli.out.println(answer);
            }
            return 0;
        }

        private JsonNode upload(Api api, URI fileService, Path file) throws Exception {
            long size = Files.size(file);
            String type = Files.probeContentType(file);
            Map<String, Object> start = new LinkedHashMap<>();
            start.put("name", file.getFileName().toString());
            start.put("size", size);
            start.put("content_type", type == null ? "application/octet-stream" : type);
            JsonNode plan = api.post(fileService, "/api/v1/uploads", start);
            List<long[]> parts = new ArrayList<>();
            List<String> urls = new ArrayList<>();
            if (plan.has("parts")) {
                for (JsonNode part : plan.get("parts")) {
                    parts.add(new long[] {
                        part.get("offset").asLong(), part.get("length").asLong()
                    });
                    urls.add(part.get("url").asText());
                }
            } else {
                parts.add(new long[] {0, size});
                urls.add(plan.get("url").asText());
            }
            Progress progress =
                    new Progress(cli.json ? null : cli.err, file.getFileName().toString(), size);
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallel, parts.size())));
            try {
                List<Future<?>> running = new ArrayList<>();
                for (int i = 0; i < parts.size(); i++) {
                    long[] part = parts.get(i);
                    String url = urls.get(i);
                    running.add(pool.submit(() -> {
                        put(api, URI.create(url), file, part[0], part[1], progress);
                        return null;
                    }));
                }
                for (Future<?> part : running) {
                    try {
                        part.get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        throw e.getCause() instanceof RuntimeException runtime ? runtime : new RuntimeException(e);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            progress.finish();
            return api.post(fileService, "/api/v1/uploads/" + plan.get("id").asText() + "/complete", Map.of());
        }

        private static void put(Api api, URI url, Path file, long offset, long length, Progress progress)
                throws IOException, InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(url)
                    .PUT(HttpRequest.BodyPublishers.fromPublisher(
                            HttpRequest.BodyPublishers.ofInputStream(() -> slice(file, offset, length, progress)),
                            length))
                    .build();
            HttpResponse<String> response = api.http().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new Failure(Failure.UNAVAILABLE, "storage_refused", "storage answered " + response.statusCode());
            }
        }

        /** The part's bytes, read from the file as they are sent (never the whole part in memory), counted. */
        private static InputStream slice(Path file, long offset, long length, Progress progress) {
            try {
                InputStream in = Files.newInputStream(file);
                in.skipNBytes(offset);
                return new InputStream() {
                    long left = length;

                    @Override
                    public int read() throws IOException {
                        byte[] one = new byte[1];
                        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                    }

                    @Override
                    public int read(byte[] buffer, int from, int count) throws IOException {
                        if (left <= 0) {
                            return -1;
                        }
                        int n = in.read(buffer, from, (int) Math.min(count, left));
                        if (n > 0) {
                            left -= n;
                            progress.add(n);
                        }
                        return n;
                    }

                    @Override
                    public void close() throws IOException {
                        in.close();
                    }
                };
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** A progress bar on stderr: redrawn at most once per percent. */
    static final class Progress {
        private final PrintWriter err;
        private final String name;
        private final long total;
        private final AtomicLong sent = new AtomicLong();
        private int shown = -1;

        Progress(PrintWriter err, String name, long total) {
            this.err = err;
            this.name = name;
            this.total = total;
        }

        void add(long bytes) {
            draw(sent.addAndGet(bytes));
        }

        void finish() {
            draw(total);
            if (err != null) {
                err.println();
            }
        }

        private synchronized void draw(long now) {
            int percent = total == 0 ? 100 : (int) Math.min(100, now * 100 / total);
            if (err == null || percent == shown) {
                return;
            }
            shown = percent;
            int filled = percent / 4;
            err.print("\r" + name + " [" + "#".repeat(filled) + " ".repeat(25 - filled) + "] " + percent + " %  "
                    + String.format("%.1f/%.1f MiB", now / 1048576.0, total / 1048576.0));
            err.flush();
        }
    }

    @Command(
            name = "links",
            description = "Issue, batch-issue and revoke download links.",
            subcommands = {Links.Issue.class, Links.Batch.class, Links.Revoke.class})
    static final class Links {
        @ParentCommand
        DrawbridgeCli cli;

        private static final Pattern EMAIL = Pattern.compile("[^@\\s,;]+@[^@\\s,;]+\\.[^@\\s,;]+");

        static Map<String, Object> request(
                String email, String product, String platform, Integer maxDownloads, Integer expiresInHours) {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("customer_email", email);
            request.put("product", product);
            if (platform != null && !platform.equals("any")) {
                request.put("platform", platform);
            }
            if (maxDownloads != null) {
                request.put("max_downloads", maxDownloads);
            }
            if (expiresInHours != null) {
                request.put("expires_in_hours", expiresInHours);
            }
            return request;
        }

        @Command(name = "issue", description = "Issue one link (needs links:issue).")
        static final class Issue implements Callable<Integer> {
            @ParentCommand
            Links links;

            @Option(names = "--email", required = true)
            String email;

            @Option(names = "--product", required = true, description = "product SKU")
            String product;

            @Option(names = "--platform")
            String platform;

            @Option(names = "--order-id")
            String orderId;

            @Option(names = "--max-downloads")
            Integer maxDownloads;

            @Option(names = "--expires-in-hours")
            Integer expiresInHours;

            @Override
            public Integer call() {
                DrawbridgeCli cli = links.cli;
                CliConfig config = cli.config();
                Map<String, Object> request = request(email, product, platform, maxDownloads, expiresInHours);
                if (orderId != null) {
                    request.put("order_id", orderId);
                }
                JsonNode issued = new Api(config.apiKey()).post(config.tokenService(), "/api/v1/tokens", request);
                cli.print(
                        issued,
                        issued.path("link").asText() + "  (token id "
                                + issued.path("token_id").asText() + ", expires "
                                + issued.path("expires_at").asText() + ")");
                return 0;
            }
        }

        @Command(
                name = "batch",
                description = "One link per email address of a CSV (first column), order ids PREFIX-0001, ...")
        static final class Batch implements Callable<Integer> {
            @ParentCommand
            Links links;

            @Option(names = "--csv", required = true)
            Path csv;

            @Option(names = "--order-prefix", required = true)
            String prefix;

            @Option(names = "--product", required = true)
            String product;

            @Option(names = "--platform")
            String platform;

            @Option(names = "--max-downloads")
            Integer maxDownloads;

            @Option(names = "--expires-in-hours")
            Integer expiresInHours;

            @Override
            public Integer call() throws IOException {
                DrawbridgeCli cli = links.cli;
                CliConfig config = cli.config();
                Api api = new Api(config.apiKey());
                List<String> emails = new ArrayList<>();
                for (String row : Files.readAllLines(csv, StandardCharsets.UTF_8)) {
                    String first = row.split("[,;\\t]", 2)[0].trim().replace("\"", "");
                    if (EMAIL.matcher(first).matches()) {
                        emails.add(first);
                    }
                }
                if (emails.isEmpty()) {
                    throw new Failure(2, "validation_failed", csv + " holds no email addresses");
                }
                ArrayNode results = Api.JSON.createArrayNode();
                int refused = 0;
                if (!cli.json) {
                    cli.out.println("order_id,email,link,expires_at");
                }
                for (int i = 0; i < emails.size(); i++) {
                    String orderId = prefix + "-" + String.format("%04d", i + 1);
                    Map<String, Object> request =
                            request(emails.get(i), product, platform, maxDownloads, expiresInHours);
                    request.put("order_id", orderId);
                    ObjectNode row =
                            Api.JSON.createObjectNode().put("order_id", orderId).put("customer_email", emails.get(i));
                    try {
                        JsonNode issued = api.post(config.tokenService(), "/api/v1/tokens", request);
                        row.put("token_id", issued.path("token_id").asText())
                                .put("link", issued.path("link").asText())
                                .put("expires_at", issued.path("expires_at").asText());
                        if (!cli.json) {
                            cli.out.println(orderId + "," + emails.get(i) + ","
                                    + issued.path("link").asText() + ","
                                    + issued.path("expires_at").asText());
                        }
                    } catch (Failure failure) {
                        if (failure.exitCode == Failure.AUTH || failure.exitCode == Failure.UNAVAILABLE) {
                            throw failure;
                        }
                        refused++;
                        row.put("refused", failure.error + ": " + failure.getMessage());
                        cli.err.println(orderId + " " + emails.get(i) + " refused: " + failure.error);
                    }
                    results.add(row);
                }
                if (cli.json) {
                    cli.out.println(results);
                }
                return refused == 0 ? 0 : Failure.REFUSED;
            }
        }

        @Command(name = "revoke", description = "Revoke a link by its token id (needs admin).")
        static final class Revoke implements Callable<Integer> {
            @ParentCommand
            Links links;

            @Parameters(paramLabel = "TOKEN_ID")
            String tokenId;

            @Option(names = "--reason", defaultValue = "admin")
            String reason;

            @Override
            public Integer call() {
                DrawbridgeCli cli = links.cli;
                CliConfig config = cli.config();
                JsonNode answer = new Api(config.apiKey())
                        .post(config.tokenService(), "/api/v1/tokens/" + tokenId + "/revoke", Map.of("reason", reason));
                cli.print(answer, "Revoked " + tokenId);
                return 0;
            }
        }
    }

    @Command(
            name = "logs",
            description = "The download log, oldest of the last --limit first (needs read). With --follow it keeps"
                    + " printing new downloads, and a download again when its outcome changes, until interrupted.")
    static final class Logs implements Callable<Integer> {
        /** How far back --follow looks for rows that changed (a long download started before it). */
        static final java.time.Duration FOLLOW_WINDOW = java.time.Duration.ofMinutes(15);

        @ParentCommand
        DrawbridgeCli cli;

        @Option(names = "--email", description = "Only this customer's downloads")
        String email;

        @Option(names = "--order", description = "Only this order's downloads")
        String order;

        @Option(names = "--outcome", description = "completed, failed, in_progress, ...")
        String outcome;

        @Option(names = "--since", description = "ISO date or instant")
        String since;

        @Option(names = "--limit", defaultValue = "20", description = "Rows shown at first (default ${DEFAULT-VALUE})")
        int limit;

        @Option(
                names = {"-f", "--follow"},
                description = "Keep printing downloads as they happen")
        boolean follow;

        @Option(
                names = "--interval",
                defaultValue = "2",
                description = "Seconds between polls when following (default ${DEFAULT-VALUE})")
        int interval;

        @Option(
                names = "--for",
                description = "Stop following after this many seconds (scripts); default: until interrupted")
        Long followFor;

        /** What was printed of each row (its outcome and bytes), so a row is printed again only when it changed. */
        private final Map<String, String> printed = new LinkedHashMap<>();

        @Override
        public Integer call() throws InterruptedException {
            if (limit < 1 || limit > 500 || interval < 1) {
                throw new Failure(2, "bad_usage", "--limit is 1 to 500 and --interval at least 1 second");
            }
            CliConfig config = cli.config();
            Api api = new Api(config.apiKey());
            java.time.Instant started = java.time.Instant.now();
            show(api, config, since, limit);
            if (!follow) {
                return 0;
            }
            String window = started.minus(FOLLOW_WINDOW).toString();
            long deadline = followFor == null ? Long.MAX_VALUE : System.nanoTime() + followFor * 1_000_000_000L;
            while (System.nanoTime() < deadline) {
                Thread.sleep(Math.min(interval * 1000L, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
                show(api, config, since != null && since.compareTo(window) > 0 ? since : window, 500);
            }
            return 0;
        }

        private void show(Api api, CliConfig config, String from, int size) {
            StringBuilder path = new StringBuilder("/api/v1/download-logs?page=0&size=").append(size);
            query(path, "email", email);
            query(path, "order_id", order);
            query(path, "outcome", outcome);
            query(path, "from", from);
            JsonNode items = api.get(config.auditService(), path.toString()).path("items");
            List<JsonNode> rows = new ArrayList<>();
            items.forEach(rows::add);
            java.util.Collections.reverse(rows);
            for (JsonNode row : rows) {
                String id = row.path("id").asString();
                String state = row.path("outcome").asString() + "/"
                        + row.path("bytes_delivered").asLong();
                if (state.equals(printed.put(id, state))) {
                    continue;
                }
                cli.print(row, line(row));
            }
            cli.out.flush();
        }

        static String line(JsonNode row) {
            return String.join(
                    "  ",
                    row.path("started_at").asString(),
                    pad(row.path("outcome").asString(), 11),
                    row.path("customer_email").asString("-"),
                    row.path("order_id").isNull() ? "-" : row.path("order_id").asString("-"),
                    row.path("file_name").isNull() ? "-" : row.path("file_name").asString("-"),
                    row.path("platform").isNull() ? "-" : row.path("platform").asString("-"),
                    human(row.path("bytes_delivered").asLong()));
        }

        static String human(long bytes) {
            if (bytes < 1024) {
                return bytes + " B";
            }
            String[] units = {"KiB", "MiB", "GiB", "TiB"};
            double value = bytes;
            int unit = -1;
            while (value >= 1024 && unit < units.length - 1) {
                value /= 1024;
                unit++;
            }
            return String.format(java.util.Locale.ENGLISH, "%.1f %s", value, units[unit]);
        }

        private static String pad(String text, int width) {
            return text.length() >= width ? text : text + " ".repeat(width - text.length());
        }
    }

    @Command(name = "stats", description = "Downloads today and in total, by platform (needs read).")
    static final class Stats implements Callable<Integer> {
        @ParentCommand
        DrawbridgeCli cli;

        @Option(names = "--from", description = "ISO date or instant")
        String from;

        @Option(names = "--to", description = "ISO date or instant")
        String to;

        @Override
        public Integer call() {
            CliConfig config = cli.config();
            StringBuilder path = new StringBuilder("/api/v1/stats");
            query(path, "from", from);
            query(path, "to", to);
            JsonNode stats = new Api(config.apiKey()).get(config.auditService(), path.toString());
            cli.print(
                    stats,
                    "downloads today " + stats.path("downloads_today").asLong() + ", total "
                            + stats.path("total_downloads").asLong() + ", unique customers "
                            + stats.path("unique_customers").asLong() + ", failed "
                            + stats.path("failed_downloads").asLong() + ", by platform "
                            + stats.path("platform_breakdown"));
            return 0;
        }
    }
}
