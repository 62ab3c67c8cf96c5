package io.drawbridge.file.config;

import io.drawbridge.file.files.domain.MalwareScanner;
import io.drawbridge.file.scan.ClamdScanner;
import io.drawbridge.file.scan.NoScanner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Whether files are scanned for malware before they become available. Without clamd, file-service fails closed: it
 * refuses to start rather than hand out files nobody scanned, unless {@code drawbridge.file.serve-unscanned} says
 * that is wanted (the dev stack, which has no clamd).
 */
@Configuration(proxyBeanMethods = false)
class ScanningConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ScanningConfiguration.class);

    @Bean
    MalwareScanner malwareScanner(FileProperties properties) {
        if (properties.clamd().enabled()) {
            log.info(
                    "Files are scanned by clamd at {}:{}",
                    properties.clamd().host(),
                    properties.clamd().port());
            return new ClamdScanner(properties.clamd());
        }
        if (!properties.serveUnscanned()) {
            throw new IllegalStateException("No malware scanner: set drawbridge.file.clamd.host"
                    + " (DRAWBRIDGE_FILE_CLAMD_HOST) to clamd's host, or set DRAWBRIDGE_FILE_SERVE_UNSCANNED=true"
                    + " (drawbridge.file.serve-unscanned) to make files available without a scan.");
        }
        log.warn("No clamd configured (drawbridge.file.clamd.host) and drawbridge.file.serve-unscanned=true: files are"
                + " available unscanned (not_scanned)");
        return new NoScanner();
    }
}
