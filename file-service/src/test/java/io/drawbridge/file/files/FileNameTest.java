package io.drawbridge.file.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.drawbridge.file.files.domain.FileName;
import org.junit.jupiter.api.Test;

class FileNameTest {

    @Test
    void pathPartsAreDropped() {
        assertThat(FileName.of("../../etc/passwd").value()).isEqualTo("passwd");
        assertThat(FileName.of("C:\\Users\\me\\setup.exe").value()).isEqualTo("setup.exe");
    }

    @Test
    void controlCharactersAndLineBreaksNeverSurvive() {
        assertThat(FileName.of("a\r\nb\tc\u0000d.txt").value()).isEqualTo("a b cd.txt");
        assertThat(FileName.of("invoice\u202egpj.exe").value()).isEqualTo("invoicegpj.exe");
    }

    @Test
    void emptyOrDotOnlyNamesBecomeFile() {
        assertThat(FileName.of(null).value()).isEqualTo("file");
        assertThat(FileName.of(" \r\n ").value()).isEqualTo("file");
        assertThat(FileName.of("..").value()).isEqualTo("file");
        assertThat(FileName.of(".hidden").value()).isEqualTo("hidden");
    }

    @Test
    void longNamesAreCapped() {
        assertThat(FileName.of("x".repeat(1000) + ".zip").value()).hasSize(255);
    }

    @Test
    void extensionIsLowerCase() {
        assertThat(FileName.of("App.DMG").extension()).isEqualTo("dmg");
        assertThat(FileName.of("README").extension()).isEmpty();
    }
}
