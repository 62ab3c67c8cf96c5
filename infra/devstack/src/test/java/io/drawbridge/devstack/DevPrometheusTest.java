package io.drawbridge.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevPrometheusTest {

    @TempDir
    Path root;

    @BeforeEach
    void checkout() throws Exception {
        Files.createDirectories(root.resolve("infra/devstack"));
        Files.writeString(root.resolve("infra/devstack/pom.xml"), "<project/>");
        Files.createDirectories(root.resolve("infra/prometheus"));
        // The shape of the repository's infra/prometheus/prometheus-devstack.yml.
        Files.writeString(
                root.resolve("infra/prometheus/prometheus-devstack.yml"),
                """
                rule_files:
                  - rules/*.yml
                scrape_configs:
                  - job_name: drawbridge
                    static_configs:
                      - targets:
                          - localhost:8080
                          - localhost:8081
                          - localhost:8082
                          - localhost:8083
                          - localhost:8084
                  - job_name: prometheus
                    static_configs:
                      - targets: [localhost:9090]
                """);
    }

    @Test
    void withTheDefaultPortsTheRepositoryConfigurationIsUsedAsItIs() throws Exception {
        DevStackOptions options = DevStackOptions.parse(new String[0], Map.of(), root);

        assertThat(DevPrometheus.config(options)).isEqualTo(root.resolve("infra/prometheus/prometheus-devstack.yml"));
    }

    @Test
    void movedPortsGetAGeneratedConfigurationThatScrapesThemWithTheSameRules() throws Exception {
        DevStackOptions options = DevStackOptions.parse(
                new String[] {"--token-service-port=18081", "--prometheus-port=19090"}, Map.of(), root);
        Files.createDirectories(options.stateDir());

        Path config = DevPrometheus.config(options);

        assertThat(config).isEqualTo(root.resolve(".devstack/prometheus.yml"));
        String text = Files.readString(config);
        assertThat(text)
                .contains("localhost:8080", "localhost:18081", "localhost:8082", "localhost:19090")
                .doesNotContain("localhost:8081", "localhost:9090")
                .contains("- " + root.resolve("infra/prometheus/rules") + "/*.yml");
    }

    @Test
    void theBinaryIsLookedUpOnThePath() throws Exception {
        Path bin = Files.createDirectories(root.resolve("bin"));
        Path prometheus = Files.createFile(bin.resolve("prometheus"));
        prometheus.toFile().setExecutable(true);

        assertThat(DevPrometheus.binary(Map.of("PATH", "/nonexistent:" + bin))).contains(prometheus);
        assertThat(DevPrometheus.binary(Map.of("PATH", "/nonexistent"))).isEmpty();
    }
}
