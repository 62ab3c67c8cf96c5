package io.drawbridge.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadLetterReplayClientConfigTest {

    @Test
    void theLoginComesFromTheGivenFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("admin.properties");
        Files.writeString(
                file,
                """
                security.protocol=SASL_PLAINTEXT
                sasl.mechanism=PLAIN
                sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="x";
                """);

        assertThat(DeadLetterReplay.clientConfig(file.toString()))
                .containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.mechanism", "PLAIN")
                .containsKey("sasl.jaas.config")
                .hasSize(3);
    }

    @Test
    void withoutAFileThereAreNoExtraSettings() {
        assertThat(DeadLetterReplay.clientConfig(null)).isEmpty();
        assertThat(DeadLetterReplay.clientConfig(" ")).isEmpty();
    }

    @Test
    void aMissingFileIsAnError(@TempDir Path dir) {
        assertThatThrownBy(
                        () -> DeadLetterReplay.clientConfig(dir.resolve("none").toString()))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("none");
    }
}
