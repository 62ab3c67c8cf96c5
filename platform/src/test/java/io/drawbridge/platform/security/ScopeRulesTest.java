package io.drawbridge.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;

class ScopeRulesTest {

    private final ScopeRules rules = ScopeRules.parse(List.of(
            "POST /api/v1/tokens links:issue",
            "post /api/v1/tokens/for-order links:issue",
            "POST /api/v1/uploads/** files:write"));

    private String required(HttpMethod method, String path) {
        return rules.required(method, PathContainer.parsePath(path));
    }

    @Test
    void aListedRouteNeedsItsScope() {
        assertThat(required(HttpMethod.POST, "/api/v1/tokens")).isEqualTo("links:issue");
        assertThat(required(HttpMethod.POST, "/api/v1/tokens/for-order")).isEqualTo("links:issue");
        assertThat(required(HttpMethod.POST, "/api/v1/uploads/123/complete")).isEqualTo("files:write");
    }

    @Test
    void unlistedReadsNeedReadAndUnlistedWritesNeedAdmin() {
        assertThat(required(HttpMethod.GET, "/api/v1/tokens")).isEqualTo("read");
        assertThat(required(HttpMethod.HEAD, "/api/v1/files/1")).isEqualTo("read");
        assertThat(required(HttpMethod.POST, "/api/v1/tokens/42/revoke")).isEqualTo("admin");
        assertThat(required(HttpMethod.DELETE, "/api/v1/tokens")).isEqualTo("admin");
    }

    @Test
    void adminIncludesEveryScope() {
        ApiKeyGrant admin = new ApiKeyGrant("1", "ops", java.util.Set.of("admin"));
        ApiKeyGrant storefront = new ApiKeyGrant("2", "shop", java.util.Set.of("links:issue"));
        assertThat(admin.allows("files:write")).isTrue();
        assertThat(storefront.allows("links:issue")).isTrue();
        assertThat(storefront.allows("read")).isFalse();
        assertThat(storefront.allows("admin")).isFalse();
    }

    @Test
    void aMalformedRuleIsRefusedAtStartup() {
        assertThatThrownBy(() -> ScopeRules.parse(List.of("POST /api/v1/tokens")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("METHOD /path/pattern scope");
    }
}
