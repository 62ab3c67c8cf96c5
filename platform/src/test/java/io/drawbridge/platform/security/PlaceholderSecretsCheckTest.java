package io.drawbridge.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/** A service refuses to start with a secret someone forgot to replace (the compose example's {@code change-me…}). */
class PlaceholderSecretsCheckTest {

    @Configuration(proxyBeanMethods = false)
    static class Empty {}

    private static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(Empty.class)
                .web(WebApplicationType.NONE)
                .properties(properties)
                .run();
    }

    @Test
    void theComposeExamplesPlaceholderFailsStartUpAndNamesTheSettingButNotItsValue() {
        assertThatThrownBy(() -> start(
                        "DRAWBRIDGE_GRANT_SECRET=change-me-to-at-least-32-random-characters",
                        "drawbridge.gateway.grant-secret=${DRAWBRIDGE_GRANT_SECRET}"))
                .hasStackTraceContaining("DRAWBRIDGE_GRANT_SECRET")
                .hasStackTraceContaining("placeholder")
                .satisfies(e -> assertThat(stackTrace(e)).doesNotContain("change-me-to-at-least-32"));
    }

    @Test
    void otherPlaceholderSpellingsFailTooAlsoThroughTheSettingsThatReferToThem() {
        for (String placeholder :
                new String[] {"CHANGEME", "change_me_now", "replace-me", "<your-secret>", "changeit"}) {
            assertThat(PlaceholderSecretsCheck.isPlaceholder(placeholder))
                    .as(placeholder)
                    .isTrue();
            // Not a variable the embedded infrastructure sets (its system properties would win over these).
            assertThatThrownBy(() -> start(
                            "DRAWBRIDGE_TEST_DB_PASSWORD=" + placeholder,
                            "drawbridge.test.connection.password=${DRAWBRIDGE_TEST_DB_PASSWORD}"))
                    .hasStackTraceContaining("drawbridge.test.connection.password");
        }
    }

    @Test
    void realSecretsAndOrdinarySettingsStart() {
        try (ConfigurableApplicationContext context = start(
                "DRAWBRIDGE_GRANT_SECRET=4q8Zp0b7yV1mN3kX9sT2wR6uE5iO0aLc",
                "drawbridge.security.admin-token=",
                "drawbridge.gateway.token-service.url=http://token-service:8081",
                "spring.kafka.consumer.group-id=download-gateway")) {
            assertThat(context.isActive()).isTrue();
        }
    }

    private static String stackTrace(Throwable e) {
        java.io.StringWriter out = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }
}
