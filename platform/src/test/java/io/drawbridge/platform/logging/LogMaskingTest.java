package io.drawbridge.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The platform's logback configuration, as a service starts it, never prints a download token. */
@ExtendWith(OutputCaptureExtension.class)
class LogMaskingTest {

    private static final String TOKEN = "dl_u4Q8Zl1yS-2_x9Kq0bVd3Nf7Hc5Jm6Tw8Rp1Ae4Gi0o";
    private static final String LOGGER = "io.drawbridge.it.masking";

    @Configuration(proxyBeanMethods = false)
    static class NoBeans {}

    @Test
    void textFormatMasksTokensInMessagesAndExceptions(CapturedOutput output) {
        try (ConfigurableApplicationContext context = start("text")) {
            logWithTokens();
        }

        assertThat(output.getOut())
                .contains("Issued link dl_**** for order 42")
                .contains("IllegalStateException: no grant for dl_****")
                .doesNotContain(TOKEN)
                .doesNotContain(TOKEN.substring(3));
    }

    @Test
    void jsonFormatMasksTokensInMessagesAndStackTraces(CapturedOutput output) {
        try (ConfigurableApplicationContext context = start("json")) {
            logWithTokens();
        }

        assertThat(output.getOut()).doesNotContain(TOKEN).doesNotContain(TOKEN.substring(3));
        JsonMapper mapper = JsonMapper.builder().build();
        List<JsonNode> lines = output.getOut()
                .lines()
                .filter(line -> line.contains(LOGGER))
                .map(mapper::readTree)
                .toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).get("message").asString()).isEqualTo("Issued link dl_**** for order 42");
        assertThat(lines.get(0).get("level").asString()).isEqualTo("INFO");
        assertThat(lines.get(1).get("stack_trace").asString()).contains("no grant for dl_****");
    }

    private static void logWithTokens() {
        Logger log = LoggerFactory.getLogger(LOGGER);
        log.info("Issued link {} for order {}", TOKEN, 42);
        log.warn("Redeem failed", new IllegalStateException("no grant for " + TOKEN));
    }

    private static ConfigurableApplicationContext start(String format) {
        // Contexts of other test classes stay open (Spring's test context cache) and keep logging initialized;
        // forget that so this application configures logging from scratch, as a service process does.
        LoggingSystem.get(LogMaskingTest.class.getClassLoader()).cleanUp();
        return new SpringApplicationBuilder(NoBeans.class)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .properties("log.format=" + format, "spring.main.register-shutdown-hook=false")
                .run();
    }
}
