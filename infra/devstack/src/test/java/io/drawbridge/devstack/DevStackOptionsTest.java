package io.drawbridge.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevStackOptionsTest {

    @TempDir
    Path root;

    @BeforeEach
    void checkout() throws Exception {
        Files.createDirectories(root.resolve("infra/devstack"));
        Files.writeString(root.resolve("infra/devstack/pom.xml"), "<project/>");
    }

    @Test
    void defaultsMatchThePortsTheServicesUseOnTheirOwn() {
        DevStackOptions options = DevStackOptions.parse(new String[0], Map.of(), root.resolve("infra"));

        assertThat(options.root()).isEqualTo(root);
        assertThat(options.stateDir()).isEqualTo(root.resolve(".devstack"));
        assertThat(options.kafkaPort()).isEqualTo(9092);
        assertThat(options.dbPort()).isEqualTo(5433);
        assertThat(options.s3Port()).isEqualTo(9000);
        assertThat(options.services())
                .extracting(StackService::name, StackService::port)
                .containsExactly(
                        tuple("download-gateway", 8080),
                        tuple("token-service", 8081),
                        tuple("file-service", 8082),
                        tuple("order-sync-service", 8083),
                        tuple("audit-service", 8084),
                        tuple("console", 8085));
        assertThat(options.service("token-service").jar())
                .isEqualTo(root.resolve("token-service/target/token-service.jar"));
        assertThat(options.fresh()).isFalse();
    }

    @Test
    void anArgumentMovesAPortBeforeTheEnvironmentDoes() {
        DevStackOptions options = DevStackOptions.parse(
                new String[] {"--token-service-port=9181", "--kafka-port=19092", "--fresh"},
                Map.of("DEVSTACK_TOKEN_SERVICE_PORT", "9081", "DEVSTACK_DB_PORT", "15433"),
                root);

        assertThat(options.service("token-service").port()).isEqualTo(9181);
        assertThat(options.kafkaPort()).isEqualTo(19092);
        assertThat(options.dbPort()).isEqualTo(15433);
        assertThat(options.fresh()).isTrue();
    }

    @Test
    void aSkippedServiceIsNotStartedButKeepsItsUrlForTheOthers() {
        DevStackOptions options =
                DevStackOptions.parse(new String[] {"--skip=order-sync-service,audit-service"}, Map.of(), root);

        assertThat(options.services())
                .extracting(StackService::name)
                .containsExactly("download-gateway", "token-service", "file-service", "console");
        assertThat(options.service("audit-service").url()).isEqualTo("http://localhost:8084");
    }

    @Test
    void aServiceJarIsFoundWhateverItsVersion() throws Exception {
        Path target = Files.createDirectories(root.resolve("file-service/target"));
        Files.createFile(target.resolve("file-service-1.2.3.jar"));
        Files.createFile(target.resolve("file-service-1.2.3.jar.original"));

        DevStackOptions options = DevStackOptions.parse(new String[0], Map.of(), root);

        assertThat(options.service("file-service").jar()).isEqualTo(target.resolve("file-service-1.2.3.jar"));
    }

    @Test
    void mailAndPrometheusPortsHaveDefaultsAndMoveLikeTheOthers() {
        DevStackOptions defaults = DevStackOptions.parse(new String[0], Map.of(), root);
        DevStackOptions moved = DevStackOptions.parse(
                new String[] {"--smtp-port=2525"},
                Map.of("DEVSTACK_IMAP_PORT", "2143", "DEVSTACK_PROMETHEUS_PORT", "19090"),
                root);

        assertThat(defaults.smtpPort()).isEqualTo(3025);
        assertThat(defaults.imapPort()).isEqualTo(3143);
        assertThat(defaults.prometheusPort()).isEqualTo(9090);
        assertThat(defaults.mailDir()).isEqualTo(root.resolve(".devstack/mail"));
        assertThat(moved.smtpPort()).isEqualTo(2525);
        assertThat(moved.imapPort()).isEqualTo(2143);
        assertThat(moved.prometheusPort()).isEqualTo(19090);
    }

    @Test
    void typosAreRejectedInsteadOfIgnored() {
        assertThatThrownBy(() -> DevStackOptions.parse(new String[] {"--frsh"}, Map.of(), root))
                .hasMessageContaining("--frsh");
        assertThatThrownBy(() -> DevStackOptions.parse(new String[] {"--tokn-service-port=1"}, Map.of(), root))
                .hasMessageContaining("tokn-service-port");
        assertThatThrownBy(() -> DevStackOptions.parse(new String[] {"--skip=tokens"}, Map.of(), root))
                .hasMessageContaining("tokens");
        assertThatThrownBy(() -> DevStackOptions.parse(new String[] {"--s3-port=70000"}, Map.of(), root))
                .hasMessageContaining("70000");
    }

    @Test
    void outsideTheRepositoryItSaysWhereToRunIt() {
        assertThatThrownBy(() -> DevStackOptions.parse(new String[0], Map.of(), Path.of("/")))
                .hasMessageContaining("inside the Drawbridge repository");
    }
}
