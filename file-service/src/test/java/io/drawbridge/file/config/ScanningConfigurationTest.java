package io.drawbridge.file.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.drawbridge.file.files.domain.MalwareScanner;
import io.drawbridge.file.scan.ClamdScanner;
import io.drawbridge.file.scan.NoScanner;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** Without a malware scanner file-service fails closed unless someone chose to serve unscanned files. */
class ScanningConfigurationTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(FileProperties.class)
    static class Properties {}

    private final ApplicationContextRunner runner =
            new ApplicationContextRunner().withUserConfiguration(Properties.class, ScanningConfiguration.class);

    @Test
    void noScannerAndNoChoiceRefusesToStart() {
        runner.run(context -> assertThat(context)
                .hasFailed()
                .getFailure()
                .hasStackTraceContaining("drawbridge.file.clamd.host")
                .hasStackTraceContaining("DRAWBRIDGE_FILE_SERVE_UNSCANNED"));
    }

    @Test
    void servingUnscannedFilesIsAnExplicitChoice() {
        runner.withPropertyValues("drawbridge.file.serve-unscanned=true")
                .run(context ->
                        assertThat(context.getBean(MalwareScanner.class)).isInstanceOf(NoScanner.class));
    }

    @Test
    void aConfiguredScannerIsUsed() {
        runner.withPropertyValues("drawbridge.file.clamd.host=127.0.0.1")
                .run(context ->
                        assertThat(context.getBean(MalwareScanner.class)).isInstanceOf(ClamdScanner.class));
    }
}
