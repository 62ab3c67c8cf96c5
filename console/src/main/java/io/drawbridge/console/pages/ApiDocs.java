package io.drawbridge.console.pages;

import io.drawbridge.console.pages.AdminApi.Target;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * Swagger UI ({@code /swagger-ui.html}, behind the console's sign-in) over every admin API: the console's own and,
 * fetched through the console, token-service's, file-service's and audit-service's OpenAPI documents (so the browser
 * needs no cross-origin access to them).
 */
@RestController
class ApiDocs {

    private static final Map<String, Target> SERVICES =
            Map.of("token-service", Target.TOKENS, "file-service", Target.FILES, "audit-service", Target.AUDIT);

    private final AdminApi api;

    ApiDocs(AdminApi api) {
        this.api = api;
    }

    @GetMapping("/api-docs/{service}")
    Mono<Map<String, Object>> document(@PathVariable String service) {
        Target target = SERVICES.get(service);
        if (target == null) {
            return Mono.error(new ResponseStatusException(org.springframework.http.HttpStatus.NOT_FOUND));
        }
        return api.get(target, "/v3/api-docs", null);
    }

    @Configuration
    static class Document {

        @Bean
        OpenAPI consoleOpenApi() {
            return new OpenAPI()
                    .info(new Info()
                            .title("Drawbridge console: API keys")
                            .description("Create, list and revoke API keys (admin token or a key with the admin"
                                    + " scope); other services check keys through the introspection route (service"
                                    + " token). Errors are RFC 9457 problem details with an `error` code:"
                                    + " 400 validation_failed, 401 unauthorized, 403 insufficient_scope, 404"
                                    + " api_key_not_found.")
                            .version("v1"))
                    .components(new Components()
                            .addSecuritySchemes(
                                    "bearer",
                                    new SecurityScheme()
                                            .type(SecurityScheme.Type.HTTP)
                                            .scheme("bearer")
                                            .description("The admin token, or an API key (dbk_...) with its scopes")))
                    .addSecurityItem(new SecurityRequirement().addList("bearer"));
        }
    }
}
