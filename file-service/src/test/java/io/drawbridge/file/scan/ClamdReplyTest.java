package io.drawbridge.file.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class ClamdReplyTest {

    @Test
    void okIsClean() throws IOException {
        assertThat(ClamdScanner.verdict("stream: OK").infected()).isFalse();
    }

    @Test
    void foundNamesTheSignature() throws IOException {
        var verdict = ClamdScanner.verdict("stream: Eicar-Test-Signature FOUND");
        assertThat(verdict.infected()).isTrue();
        assertThat(verdict.signature()).isEqualTo("Eicar-Test-Signature");
    }

    @Test
    void errorsAreNotVerdicts() {
        assertThatThrownBy(() -> ClamdScanner.verdict("INSTREAM size limit exceeded. ERROR"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("size limit");
    }
}
