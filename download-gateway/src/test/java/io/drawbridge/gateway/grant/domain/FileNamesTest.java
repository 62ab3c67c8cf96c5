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
        assertThat(header).startsWith("attachment; filename=\"a_b_c_dSet-Cookie_ x=y.txt\"; filename*=UTF-8''");
        assertThat(header).endsWith("a_b%3Bc%25dSet-Cookie_%20x%3Dy.txt");
    }

    @Test
    void directoriesAreStrippedFromNames() {
        assertThat(FileNames.safe("../../etc/passwd")).isEqualTo("passwd");
        assertThat(FileNames.safe("C:\\Users\\x\\tool.exe")).isEqualTo("tool.exe");
        assertThat(FileNames.safe("..")).isEqualTo("download");
        assertThat(FileNames.safe("  ")).isEqualTo("download");
        assertThat(FileNames.safe(null)).isEqualTo("download");
    }

    @Test
    void charactersWindowsReadsAsDrivesStreamsOrWildcardsAreReplaced() {
        // "C:evil.exe" is drive-relative on Windows; "a.txt:stream" names an NTFS alternate data stream.
        assertThat(FileNames.safe("C:evil.exe")).isEqualTo("C_evil.exe");
        assertThat(FileNames.safe("a.txt:stream")).isEqualTo("a.txt_stream");
        assertThat(FileNames.safe("what?<is>*this|\"name\".txt")).isEqualTo("what__is__this__name_.txt");
        assertThat(FileNames.contentDisposition("C:evil.exe")).doesNotContain(":", "%3A");
    }
}
