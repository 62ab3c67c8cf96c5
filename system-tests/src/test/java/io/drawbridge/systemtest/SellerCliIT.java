package io.drawbridge.systemtest;

import static io.drawbridge.systemtest.Drawbridge.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * {@code bin/drawbridge}'s jar against the running system, with API keys made by the console: a CI key
 * ({@code files:write}) uploads and publishes, a storefront key ({@code links:issue}) issues one link and a batch but
 * can neither revoke, read stats nor delete a file; exit codes and {@code --json} as documented.
 */
@ExtendWith(SystemUnderTest.class)
class SellerCliIT {

    private final HttpClient http = HttpClient.newHttpClient();

    record Run(int exitCode, String out, String err) {
        JsonNode json() {
            return Drawbridge.JSON.readTree(out);
        }
    }

    @Test
    void aCiKeyUploadsAndPublishesAStorefrontKeyIssuesLinksAndNothingMore(Drawbridge drawbridge) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String ci = createKey(drawbridge, "ci-" + suffix, List.of("files:write"));
        String storefront = createKey(drawbridge, "storefront-" + suffix, List.of("links:issue"));
        String reporting = createKey(drawbridge, "reporting-" + suffix, List.of("read"));
        String sku = "cli-app-" + suffix;
        HttpResponse<String> product =
                admin(drawbridge, "file-service", "/api/v1/products", Map.of("sku", sku, "name", "CLI App"));
        assertThat(product.statusCode()).as(product.body()).isEqualTo(201);

        byte[] content = Drawbridge.content(3 * 1024 * 1024 + 17, 77);
        Path build = Path.of("target", "cli", "cli-app-" + suffix + ".tar.gz");
        Files.createDirectories(build.getParent());
        Files.write(build, content);

        Run upload = cli(
                drawbridge,
                ci,
                "--json",
                "upload",
                build.toString(),
                "--product",
                sku,
                "--version",
                "2.0.0",
                "--platform",
                "linux");
        assertThat(upload.exitCode()).as(upload.err()).isZero();
        assertThat(upload.json().path("files").get(0).path("sha256").asString()).isEqualTo(sha256(content));
        assertThat(upload.json().path("release").path("version").asString()).isEqualTo("2.0.0");
        Run humanUpload = cli(drawbridge, ci, "upload", build.toString());
        assertThat(humanUpload.err()).as("a progress bar on stderr").contains("100 %");

        Run issued = await("token-service knows " + sku)
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () -> cli(
                                drawbridge,
                                storefront,
                                "--json",
                                "links",
                                "issue",
                                "--email",
                                "cli@example.com",
                                "--product",
                                sku,
                                "--max-downloads",
                                "2"),
                        run -> run.exitCode() != 4 || !run.out().contains("unknown_product"));
        assertThat(issued.exitCode()).as(issued.out() + issued.err()).isZero();
        String tokenId = issued.json().path("token_id").asString();
        assertThat(issued.json().path("link").asString()).startsWith(drawbridge.gateway() + "/d/dl_");

        Path csv = build.resolveSibling("batch-" + suffix + ".csv");
        Files.writeString(csv, "email\nb1-" + suffix + "@example.com\nb2-" + suffix + "@example.com\n");
        Run batch = cli(
                drawbridge,
                storefront,
                "links",
                "batch",
                "--csv",
                csv.toString(),
                "--order-prefix",
                "CLI-" + suffix,
                "--product",
                sku);
        assertThat(batch.exitCode()).as(batch.err()).isZero();
        assertThat(batch.out()).contains("CLI-" + suffix + "-0001,b1-", "CLI-" + suffix + "-0002,b2-");

        Run revoke = cli(drawbridge, storefront, "--json", "links", "revoke", tokenId);
        assertThat(revoke.exitCode()).isEqualTo(3);
        assertThat(revoke.json().path("error").asString()).isEqualTo("insufficient_scope");
        Run statsRefused = cli(drawbridge, storefront, "stats");
        assertThat(statsRefused.exitCode()).isEqualTo(3);
        assertThat(statsRefused.err()).contains("insufficient_scope");
        Run stats = cli(drawbridge, reporting, "--json", "stats");
        assertThat(stats.exitCode()).as(stats.err()).isZero();
        assertThat(stats.json().has("total_downloads")).isTrue();

        String fileId = upload.json().path("files").get(0).path("id").asString();
        HttpResponse<String> delete = http.send(
                HttpRequest.newBuilder(URI.create(drawbridge.stack().url("file-service") + "/api/v1/files/" + fileId))
                        .header("Authorization", "Bearer " + storefront)
                        .DELETE()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(delete.statusCode()).isEqualTo(403);
        assertThat(delete.body()).contains("insufficient_scope");

        Run unknown = cli(drawbridge, "dbk_not-a-key", "stats");
        assertThat(unknown.exitCode()).isEqualTo(3);
        Run usage = cli(drawbridge, storefront, "links", "issue", "--email", "x@example.com");
        assertThat(usage.exitCode()).isEqualTo(2);
    }

    @Test
    void logsFollowPrintsADownloadAsItHappensAndLogsListsIt(Drawbridge drawbridge) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String reporting = createKey(drawbridge, "follow-" + suffix, List.of("read"));
        String email = "follow-" + suffix + "@example.com";
        Drawbridge.StoredFile file = drawbridge.upload("followed-" + suffix + ".bin", Drawbridge.content(200_000, 5));
        String sku = drawbridge.productWith(file);
        Drawbridge.Link link = drawbridge.issue(sku, email, 1);

        Started follow = start(
                drawbridge,
                reporting,
                "--json",
                "logs",
                "--follow",
                "--interval",
                "1",
                "--for",
                "120",
                "--email",
                email);
        assertThat(follow.out()).as("nothing yet for this customer").isNullOrEmpty();
        byte[] got = drawbridge
                .download(drawbridge.grantPath(link.token(), "follow-test"), "follow-test", null)
                .body();
        assertThat(sha256(got)).isEqualTo(file.sha256());

        await("the follower prints the completed download")
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> follow.out().contains("\"completed\""));
        String line = follow.out()
                .lines()
                .filter(l -> l.contains("\"completed\""))
                .findFirst()
                .orElseThrow();
        assertThat(Drawbridge.JSON.readTree(line).path("file_name").asString())
                .isEqualTo("followed-" + suffix + ".bin");
        follow.process().destroy();

        Run logs = cli(drawbridge, reporting, "logs", "--email", email);
        assertThat(logs.exitCode()).as(logs.err()).isZero();
        assertThat(logs.out()).contains("completed", email, "followed-" + suffix + ".bin", "195.3 KiB");
        Run refused = cli(drawbridge, "dbk_not-a-key", "logs");
        assertThat(refused.exitCode()).isEqualTo(3);
    }

    /** A CLI process left running (for --follow); its output so far. */
    record Started(Process process, Path outFile) {
        String out() throws IOException {
            return Files.readString(outFile, StandardCharsets.UTF_8);
        }
    }

    private String createKey(Drawbridge drawbridge, String name, List<String> scopes) throws Exception {
        HttpResponse<String> created =
                admin(drawbridge, "console", "/api/v1/api-keys", Map.of("name", name, "scopes", scopes));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Drawbridge.JSON.readTree(created.body()).path("key").asString();
    }

    private HttpResponse<String> admin(Drawbridge drawbridge, String service, String path, Object body)
            throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(drawbridge.stack().url(service) + path))
                        .header("Authorization", "Bearer " + drawbridge.stack().adminToken())
                        .header("Content-Type", "application/json")
                        .POST(Drawbridge.body(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Runs the CLI's jar as {@code bin/drawbridge} does, with the key and service addresses in its environment. */
    private static Run cli(Drawbridge drawbridge, String key, String... args) throws Exception {
        Started started = start(drawbridge, key, args);
        Process process = started.process();
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("the CLI finishes").isTrue();
        return new Run(
                process.exitValue(),
                started.out(),
                Files.readString(
                        started.outFile().resolveSibling(started.outFile().getFileName() + ".err"),
                        StandardCharsets.UTF_8));
    }

    private static Started start(Drawbridge drawbridge, String key, String... args) throws Exception {
        String jar = System.getProperty("drawbridge.cli.jar", "");
        assumeTrue(jar.endsWith(".jar") && Files.isRegularFile(Path.of(jar)), "the CLI jar is packaged");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-jar",
                jar));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("DRAWBRIDGE_API_KEY", key);
        env.put(
                "DRAWBRIDGE_CLI_CONFIG",
                Path.of("target", "cli", "none.properties").toAbsolutePath().toString());
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put("DRAWBRIDGE_TOKEN_SERVICE_URL", drawbridge.stack().url("token-service"));
        urls.put("DRAWBRIDGE_FILE_SERVICE_URL", drawbridge.stack().url("file-service"));
        urls.put("DRAWBRIDGE_AUDIT_SERVICE_URL", drawbridge.stack().url("audit-service"));
        env.putAll(urls);
        Files.createDirectories(Path.of("target", "cli"));
        Path out = Files.createTempFile(Path.of("target", "cli"), "out", ".txt");
        Path err = out.resolveSibling(out.getFileName() + ".err");
        Process process =
                builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new Started(process, out);
    }
}
