package io.drawbridge.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** A service must not start with protected routes and no token to guard them. */
class ProtectedRoutesCheckTest {

    private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(WebFluxAutoConfiguration.class, BearerTokenAutoConfiguration.class));

    @RestController
    static class AdminController {
        @GetMapping("/api/v1/tokens/{id}")
        Map<String, String> token() {
            return Map.of();
        }
    }

    @RestController
    static class PublicController {
        @GetMapping("/api/v1/downloads")
        Map<String, String> downloads() {
            return Map.of();
        }

        @GetMapping("/d/{token}")
        Map<String, String> landing() {
            return Map.of();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class InternalRoutes {
        @Bean
        RouterFunction<ServerResponse> internal() {
            return RouterFunctions.nest(
                    org.springframework.web.reactive.function.server.RequestPredicates.path("/internal/v1"),
                    RouterFunctions.route()
                            .GET("/grants/{id}", request -> ServerResponse.ok().build())
                            .build());
        }
    }

    @Test
    void adminRoutesWithoutAnAdminTokenFailTheStartupWithAClearMessage() {
        runner.withUserConfiguration(AdminController.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .hasMessageContaining("/api/v1/tokens/{id}")
                    .hasMessageContaining("DRAWBRIDGE_ADMIN_TOKEN");
        });
    }

    @Test
    void adminRoutesStartWithAnAdminToken() {
        runner.withUserConfiguration(AdminController.class)
                .withPropertyValues("drawbridge.security.admin-token=s3cr3t-admin")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void serviceWithoutProtectedRoutesStartsWithoutTokens() {
        runner.withUserConfiguration(PublicController.class)
                .withPropertyValues("drawbridge.security.public-paths=/api/v1/downloads")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void internalRouterFunctionsNeedTheServiceToken() {
        runner.withUserConfiguration(InternalRoutes.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .hasMessageContaining("/internal/v1/grants/{id}")
                    .hasMessageContaining("DRAWBRIDGE_SERVICE_TOKEN");
        });
        runner.withUserConfiguration(InternalRoutes.class)
                .withPropertyValues("drawbridge.security.service-token=s3cr3t-service")
                .run(context -> assertThat(context).hasNotFailed());
    }
}
