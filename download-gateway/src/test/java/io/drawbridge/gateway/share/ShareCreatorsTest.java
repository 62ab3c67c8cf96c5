package io.drawbridge.gateway.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drawbridge.platform.security.ApiKeyGrant;
import io.drawbridge.platform.security.ApiKeyIntrospector;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Who may create a share. The key owner's answers are given by a map here (the console's introspection itself is
 * tested in ConsoleIT and through the system tests' keys).
 */
class ShareCreatorsTest {

    private static final Map<String, ApiKeyGrant> KEYS = Map.of(
            "dbk_sharer", new ApiKeyGrant("1", "sharer", Set.of("shares:create")),
            "dbk_admin", new ApiKeyGrant("2", "ops", Set.of("admin")),
            "dbk_storefront", new ApiKeyGrant("3", "storefront", Set.of("links:issue")));

    private static ShareCreators creators(ShareCreators.Who who, ApiKeyIntrospector keys) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        if (keys != null) {
            beans.addBean("keys", keys);
        }
        return new ShareCreators(
                new ShareProperties(URI.create("http://127.0.0.1:9"), "t", Duration.ofSeconds(1), who),
                beans.getBeanProvider(ApiKeyIntrospector.class));
    }

    private static final ApiKeyIntrospector OWNER = key -> Mono.justOrEmpty(KEYS.get(key));

    private static MockServerHttpRequest upload(String authorization) {
        MockServerHttpRequest.BodyBuilder request = MockServerHttpRequest.post("/api/v1/shares");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request.build();
    }

    @Test
    void anyoneMayShareByDefaultWithoutAKey() {
        StepVerifier.create(creators(ShareCreators.Who.ANYONE, null).check(upload(null)))
                .verifyComplete();
    }

    @Test
    void sellersOnlyNeedsAKeyWithTheSharesScopeOrAdmin() {
        ShareCreators sellers = creators(ShareCreators.Who.API_KEY, OWNER);

        assertThat(sellers.anyone()).isFalse();
        StepVerifier.create(sellers.check(upload("Bearer dbk_sharer"))).verifyComplete();
        StepVerifier.create(sellers.check(upload("bearer dbk_admin"))).verifyComplete();
        refused(sellers, null, HttpStatus.UNAUTHORIZED, "unauthorized");
        refused(sellers, "Bearer some-admin-token", HttpStatus.UNAUTHORIZED, "unauthorized");
        refused(sellers, "Bearer dbk_revoked", HttpStatus.UNAUTHORIZED, "unauthorized");
        refused(sellers, "Bearer dbk_storefront", HttpStatus.FORBIDDEN, "insufficient_scope");
    }

    @Test
    void sellersOnlyWithoutTheKeyOwnerDoesNotStart() {
        assertThatThrownBy(() -> creators(ShareCreators.Who.API_KEY, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DRAWBRIDGE_API_KEYS_URL");
    }

    private static void refused(ShareCreators creators, String authorization, HttpStatus status, String error) {
        StepVerifier.create(creators.check(upload(authorization)))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(ShareRefusal.class, refusal -> {
                    assertThat(refusal.status()).isEqualTo(status);
                    assertThat(refusal.error()).isEqualTo(error);
                }))
                .verify();
    }
}
