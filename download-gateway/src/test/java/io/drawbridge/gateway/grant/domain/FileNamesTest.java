package io.drawbridge.gateway.grant.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FileNamesTest {

    @Test
    void asciiNamesAreSentBothWays() {
        assertThat(FileNames.contentDisposition("setup-1.2.exe"))
                .isEqualTo("attachment; filename=\"setup-1.2.exe\"; filename*=UTF-8''setup-1.2.exe");
    }

    @Test
    void nonAsciiNamesGetAnAsciiFallbackAndTheExactUtf8Name() {
        assertThat(FileNames.contentDisposition("Grüße 日本.zip"))
                .isEqualTo("attachment; filename=\"Gr__e __.zip\"; "
                        + "filename*=UTF-8''Gr%C3%BC%C3%9Fe%20%E6%97%A5%E6%9C%AC.zip");
    }

    @Test
    void quotesBackslashesAndHeaderBreakingCharactersCannotEscapeTheHeader() {
        String header = FileNames.contentDisposition("a\"b;c%d\r\nSet-Cookie: x=y.txt");

        assertThat(header).doesNotContain("\r", "\n");
        assertThat(header).startsWith("attachment; filename=\"a_b_c_dSet-Cookie: x=y.txt\"; filename*=UTF-8''");
        assertThat(header).endsWith("a%22b%3Bc%25dSet-Cookie%3A%20x%3Dy.txt");
    }

    @Test
    void directoriesAreStrippedFromNames() {
        assertThat(FileNames.safe("../../etc/passwd")).isEqualTo("passwd");
        assertThat(FileNames.safe("C:\\Users\\x\\tool.exe")).isEqualTo("tool.exe");
        assertThat(FileNames.safe("..")).isEqualTo("download");
        assertThat(FileNames.safe("  ")).isEqualTo("download");
        assertThat(FileNames.safe(null)).isEqualTo("download");
    }
}
