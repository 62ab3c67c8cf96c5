package io.drawbridge.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseCookie;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * OIDC sign-in against {@link OidcProvider}, a real provider on loopback: the console's button starts the
 * authorization code flow, the provider answers with a code, the console redeems it (client secret), checks the ID
 * token (signature from the JWKS, issuer, audience, nonce) and signs the person in under their verified address; an
 * address the allow-list does not name, or one not verified, is turned away and recorded.
 */
class OidcSignInIT extends RunningConsole {

    private static final HttpClient BROWSER =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Autowired
    WebTestClient http;

    @Autowired
    DatabaseClient database;

    @Test
    void anAllowedPersonSignsInThroughTheProviderAndIsNamedByTheirAddress() throws Exception {
        assertThat(http.get()
                        .uri("/login")
                        .exchange()
                        .expectBody(String.class)
                        .returnResult()
                        .getResponseBody())
                .contains("Sign in with Test IdP", "/oauth2/authorization/test-idp")
                .as("the password form stays")
                .contains("id=\"password\"");

        OIDC.signInAs("alice@example.com", true);
        String session = signInThroughProvider("/");
        String dashboard = http.get()
                .uri("/keys")
                .cookie("DRAWBRIDGE_CONSOLE", session)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        assertThat(dashboard).contains("Sign out");
        assertThat(actions("alice@example.com")).contains("sign_in");
    }

    @Test
    void someoneTheAllowListDoesNotNameOrWithoutAVerifiedAddressIsTurnedAway() throws Exception {
        OIDC.signInAs("mallory@elsewhere.test", true);
        String session = signInThroughProvider("/login?denied");
        http.get()
                .uri("/keys")
                .cookie("DRAWBRIDGE_CONSOLE", session)
                .exchange()
                .expectStatus()
                .is3xxRedirection()
                .expectHeader()
                .location("/login");
        assertThat(actions("mallory@elsewhere.test")).containsExactly("sign_in.refused");

        OIDC.signInAs("unverified@example.com", false);
        signInThroughProvider("/login?denied");
        assertThat(actions("unverified@example.com")).containsExactly("sign_in.refused");
    }

    /**
     * What a browser does: the console's button redirects to the provider, the provider (signing in at once) back to
     * the console with a code; returns the session cookie after the console's last answer, which redirects to {@code
     * expectedLocation}.
     */
    private String signInThroughProvider(String expectedLocation) throws Exception {
        EntityExchangeResult<Void> start = http.get()
                .uri("/oauth2/authorization/test-idp")
                .exchange()
                .expectStatus()
                .is3xxRedirection()
                .expectBody(Void.class)
                .returnResult();
        URI authorize = start.getResponseHeaders().getLocation();
        assertThat(authorize.toString())
                .startsWith(OIDC.issuer() + "/authorize")
                .contains("nonce=");
        ResponseCookie cookie = start.getResponseCookies().getFirst("DRAWBRIDGE_CONSOLE");
        assertThat(cookie).isNotNull();

        HttpResponse<Void> atProvider =
                BROWSER.send(HttpRequest.newBuilder(authorize).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(atProvider.statusCode()).isEqualTo(302);
        String callback = atProvider.headers().firstValue("Location").orElseThrow();

        EntityExchangeResult<Void> back = http.get()
                .uri(URI.create(callback))
                .cookie("DRAWBRIDGE_CONSOLE", cookie.getValue())
                .exchange()
                .expectStatus()
                .is3xxRedirection()
                .expectHeader()
                .location(expectedLocation)
                .expectBody(Void.class)
                .returnResult();
        ResponseCookie after = back.getResponseCookies().getFirst("DRAWBRIDGE_CONSOLE");
        return after != null ? after.getValue() : cookie.getValue();
    }

    private List<String> actions(String actor) {
        return database.sql("select action from console_action where actor = :actor order by id")
                .bind("actor", actor)
                .map(row -> row.get("action", String.class))
                .all()
                .collectList()
                .block();
    }
}
