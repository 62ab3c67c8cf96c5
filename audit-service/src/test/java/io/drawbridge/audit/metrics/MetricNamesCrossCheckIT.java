package io.drawbridge.audit.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.audit.AdminApi;
import io.drawbridge.audit.AuditIntegrationTest;
import io.drawbridge.audit.Purchase;
import io.drawbridge.audit.TestEvents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every metric the Grafana dashboards and the Prometheus alert rules read must be exposed by some service.
 * Verified live: what this audit-service context exposes at {@code /actuator/prometheus} (its own meters plus the
 * standard JVM, HTTP, Kafka consumer/producer and outbox meters every service shares). The other services' names
 * come from {@code infra/grafana/metric-names/<service>.txt}, declared from the team's contract until
 * {@code regenerate.sh} rewrites them from a running stack; each file says which it is.
 */
@AuditIntegrationTest
class MetricNamesCrossCheckIT {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path DASHBOARDS = REPO.resolve("infra/grafana/dashboards");
    private static final Path RULES = REPO.resolve("infra/prometheus/rules/drawbridge.yml");
    private static final Path NAME_FILES = REPO.resolve("infra/grafana/metric-names");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    WebTestClient client;

    @Test
    void everyMetricOfTheDashboardsAndAlertRulesIsExposedBySomeService() throws IOException {
        Set<String> live = liveNames();
        writeAuditServiceNames(live);
        Map<String, Set<String>> files = nameFiles();
        Set<String> known = new TreeSet<>(live);
        files.values().forEach(known::addAll);
        known.addAll(recordingRules());

        Map<String, Set<String>> used = usedNames();
        assertThat(used).as("dashboards and rules found").hasSizeGreaterThanOrEqualTo(4);
        List<String> missing = new ArrayList<>();
        Set<String> onlyDeclared = new TreeSet<>();
        used.forEach((source, names) -> names.forEach(name -> {
            if (!known.contains(name)) {
                missing.add(name + " (" + source + ")");
            } else if (!live.contains(name)) {
                onlyDeclared.add(name);
            }
        }));
        System.out.println("[metric names] verified live from audit-service: "
                + used.values().stream()
                        .flatMap(Set::stream)
                        .filter(live::contains)
                        .distinct()
                        .sorted()
                        .toList());
        System.out.println("[metric names] from infra/grafana/metric-names only: " + onlyDeclared);
        assertThat(missing).as("metrics used but exposed by no service").isEmpty();
    }

    @Test
    void auditServiceExposesTheMetricsItPromises() {
        Set<String> live = liveNames();
        assertThat(live)
                .contains(
                        "drawbridge_audit_events_total",
                        "drawbridge_audit_downloads_total",
                        "drawbridge_audit_orders_total",
                        "drawbridge_audit_purged_total",
                        "http_server_requests_seconds_bucket",
                        "kafka_consumer_fetch_manager_records_lag_max",
                        "jvm_memory_used_bytes");
    }

    /** Sample names scraped from this context, after it consumed an event and served a request. */
    private Set<String> liveNames() {
        AdminApi api = new AdminApi(client);
        Purchase p = Purchase.now();
        try (TestEvents events = new TestEvents()) {
            events.publish(p.paid(), Instant.now());
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(api.client()
                        .get()
                        .uri("/api/v1/orders/" + p.orderId() + "/timeline")
                        .exchange()
                        .returnResult(String.class)
                        .getStatus()
                        .value())
                .isEqualTo(200));
        Set<String> names = new TreeSet<>();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String body = client.get()
                    .uri("/actuator/prometheus")
                    .exchange()
                    .expectStatus()
                    .isOk()
                    .expectBody(String.class)
                    .returnResult()
                    .getResponseBody();
            names.clear();
            body.lines()
                    .filter(line -> !line.startsWith("#") && !line.isBlank())
                    .map(line -> line.split("[{ ]", 2)[0])
                    .forEach(names::add);
            assertThat(names)
                    .contains("kafka_consumer_fetch_manager_records_lag_max", "spring_kafka_listener_seconds_count");
        });
        return names;
    }

    /** Leaves the scraped list in target/ so it can be committed as infra/grafana/metric-names/audit-service.txt. */
    private static void writeAuditServiceNames(Set<String> live) throws IOException {
        Path out = Path.of("target", "metric-names", "audit-service.txt");
        Files.createDirectories(out.getParent());
        List<String> lines = new ArrayList<>();
        lines.add("# Prometheus sample names audit-service exposes at /actuator/prometheus, one per line.");
        lines.add("# source: SCRAPED from the audit-service test context by MetricNamesCrossCheckIT");
        lines.addAll(live);
        Files.write(out, lines);
    }

    private static Map<String, Set<String>> nameFiles() throws IOException {
        Map<String, Set<String>> files = new TreeMap<>();
        try (Stream<Path> paths = Files.list(NAME_FILES)) {
            for (Path file :
                    paths.filter(path -> path.toString().endsWith(".txt")).toList()) {
                Set<String> names = new TreeSet<>();
                Files.readAllLines(file).stream()
                        .map(String::trim)
                        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                        .forEach(names::add);
                files.put(file.getFileName().toString(), names);
            }
        }
        return files;
    }

    /** Names used, per dashboard file and for the rules file. */
    private static Map<String, Set<String>> usedNames() throws IOException {
        Map<String, Set<String>> used = new TreeMap<>();
        try (Stream<Path> paths = Files.list(DASHBOARDS)) {
            for (Path file :
                    paths.filter(path -> path.toString().endsWith(".json")).toList()) {
                Set<String> names = new TreeSet<>();
                collectDashboard(JSON.readTree(file.toFile()), names);
                assertThat(names).as("metrics of %s", file.getFileName()).isNotEmpty();
                used.put(file.getFileName().toString(), names);
            }
        }
        Set<String> ruleNames = new TreeSet<>();
        for (Map<String, Object> rule : rules()) {
            if (rule.get("expr") != null) {
                ruleNames.addAll(PromQlMetricNames.of(rule.get("expr").toString()));
            }
        }
        used.put(RULES.getFileName().toString(), ruleNames);
        return used;
    }

    private static void collectDashboard(JsonNode node, Set<String> names) {
        if (node.isObject()) {
            JsonNode expr = node.get("expr");
            if (expr != null && expr.isString()) {
                names.addAll(PromQlMetricNames.of(expr.asString()));
            }
            if ("query".equals(node.path("type").asString("")) && node.has("definition")) {
                names.addAll(
                        PromQlMetricNames.ofVariableQuery(node.get("definition").asString()));
            }
        }
        if (node.isContainer()) {
            node.forEach(child -> collectDashboard(child, names));
        }
    }

    private static Set<String> recordingRules() throws IOException {
        Set<String> names = new TreeSet<>();
        for (Map<String, Object> rule : rules()) {
            if (rule.get("record") != null) {
                names.add(rule.get("record").toString());
            }
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rules() throws IOException {
        Map<String, Object> document = new Yaml().load(Files.readString(RULES));
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) document.get("groups")) {
            rules.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        return rules;
    }
}
