package io.drawbridge.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

/** The console against the shared real PostgreSQL: API keys and their checks, sign-in, lockout, CSRF. */
class ConsoleIT extends RunningConsole {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @Autowired
    WebTestClient http;

    @Autowired
    DatabaseClient database;

    @SuppressWarnings("unchecked")
    private Map<String, Object> createKey(String bearer, String name, List<String> scopes) {
        return http.post()
                .uri("/api/v1/api-keys")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + bearer)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", name, "scopes", scopes))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
    }

    private WebTestClient.BodyContentSpec introspect(String key) {
        return http.post()
                .uri("/internal/v1/api-keys/introspect")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + SERVICE_TOKEN)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("key", key))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody();
    }

    @Test
    void aKeyIsShownOnceStoredAsItsHashAndWorksUntilRevoked() {
        Map<String, Object> created = createKey(ADMIN_TOKEN, "storefront", List.of("links:issue"));
        String key = (String) created.get("key");
        assertThat(key).startsWith("dbk_").hasSizeGreaterThan(40);
        assertThat(created.get("scopes")).isEqualTo(List.of("links:issue"));

        introspect(key)
                .jsonPath("$.active")
                .isEqualTo(true)
                .jsonPath("$.scopes[0]")
                .isEqualTo("links:issue");
        String listed = http.get()
                .uri("/api/v1/api-keys")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_TOKEN)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        assertThat(listed).contains((String) created.get("id")).doesNotContain(key);
        List<String> stored = database.sql(
                        "select concat_ws(' ', id, name, key_hash, key_hint, scopes) as r from" + " api_key")
                .map(row -> row.get("r", String.class))
                .all()
                .collectList()
                .block();
        assertThat(stored).noneMatch(row -> row.contains(key));
        List<String> published = database.sql("select cast(payload as text) as p from outbox where event_type ="
                        + " 'ConsoleActionRecorded' and cast(payload as text) like '%' || :id || '%'")
                .bind("id", created.get("id"))
                .map(row -> row.get("p", String.class))
                .all()
                .collectList()
                .block();
        assertThat(published)
                .as("the action is in the outbox for the audit trail, with who did it and without the key")
                .singleElement()
                .satisfies(payload -> assertThat(payload)
                        .contains("\"actor\":\"admin-token\"", "api_key.created")
                        .doesNotContain(key));

        http.delete()
                .uri("/api/v1/api-keys/{id}", created.get("id"))
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_TOKEN)
                .exchange()
                .expectStatus()
                .isNoContent();
        introspect(key).jsonPath("$.active").isEqualTo(false);
        introspect("dbk_never-issued").jsonPath("$.active").isEqualTo(false);
    }

    @Test
    void aKeyOutsideItsScopesIsForbiddenAndAnAdminKeyMayCreateKeys() {
        String storefront = (String)
                createKey(ADMIN_TOKEN, "storefront", List.of("links:issue")).get("key");
        http.post()
                .uri("/api/v1/api-keys")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + storefront)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "escalation", "scopes", List.of("admin")))
                .exchange()
                .expectStatus()
                .isForbidden()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("insufficient_scope");
        String admin = (String) createKey(ADMIN_TOKEN, "ops", List.of("admin")).get("key");
        createKey(admin, "made-by-a-key", List.of("read"));
        http.get()
                .uri("/internal/v1/api-keys/introspect")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .exchange()
                .expectStatus()
                .isUnauthorized();
    }

    @Test
    void unknownScopesAreRefused() {
        http.post()
                .uri("/api/v1/api-keys")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_TOKEN)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "x", "scopes", List.of("everything")))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("validation_failed");
    }

    @Test
    void aPageShowsTheNoteOfARedirectOnlyWhenTheRedirectLeftOne() {
        assertThat(page("/login", null)).doesNotContain("Wrong username or password", "Signed out");
        assertThat(page("/login?error", null))
                .contains("Wrong username or password")
                .doesNotContain("Signed out");
        String session = signIn("seller", PASSWORD, "/");
        // (The admin APIs behind these pages are not running here: each page says so, and nothing else.)
        assertThat(page("/links", session)).doesNotContain("Link revoked.", "Link changed.", "Refused:");
        assertThat(page("/links?amended=x", session)).contains("Link changed.").doesNotContain("Link revoked.");
        assertThat(page("/shares", session)).doesNotContain("Share deleted");
        assertThat(page("/shares?failed=share_not_found", session)).contains("Refused: share_not_found");
    }

    private String page(String path, String session) {
        var request = http.get().uri(path);
        if (session != null) {
            request = request.cookie("DRAWBRIDGE_CONSOLE", session);
        }
        return request.exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
    }

    @Test
    void pagesNeedASignInAndASignInNeedsTheCsrfToken() {
        http.get()
                .uri("/links")
                .exchange()
                .expectStatus()
                .is3xxRedirection()
                .expectHeader()
                .location("/login");
        http.post()
                .uri("/login")
                .body(BodyInserters.fromFormData("username", "seller").with("password", PASSWORD))
                .exchange()
                .expectStatus()
                .isForbidden();
        String session = signIn("seller", PASSWORD, "/");
        http.get()
                .uri("/keys")
                .cookie("DRAWBRIDGE_CONSOLE", session)
                .exchange()
                .expectStatus()
                .isOk();
    }

    @Test
    void theApiDocumentIsForSignedInSellers() {
        http.get().uri("/v3/api-docs").exchange().expectStatus().is3xxRedirection();
        String session = signIn("seller", PASSWORD, "/");
        http.get()
                .uri("/v3/api-docs")
                .cookie("DRAWBRIDGE_CONSOLE", session)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.paths['/api/v1/api-keys'].post")
                .exists()
                .jsonPath("$.components.securitySchemes.bearer.scheme")
                .isEqualTo("bearer");
        http.get()
                .uri("/swagger-ui.html")
                .cookie("DRAWBRIDGE_CONSOLE", session)
                .exchange()
                .expectStatus()
                .is3xxRedirection();
    }

    @Test
    void fiveWrongPasswordsLockTheAccountEvenForTheRightOne() {
        for (int i = 0; i < 5; i++) {
            signIn("victim", "wrong-" + i, "/login?error");
        }
        signIn("victim", PASSWORD, "/login?locked");
    }

    /** Signs in through the login form (CSRF token and cookie from the page) and returns the session cookie. */
    private String signIn(String username, String password, String expectedLocation) {
        EntityExchangeResult<String> page = http.get()
                .uri("/login")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult();
        Matcher csrf = CSRF.matcher(page.getResponseBody());
        assertThat(csrf.find()).isTrue();
        ResponseCookie cookie = page.getResponseCookies().getFirst("DRAWBRIDGE_CONSOLE");
        assertThat(cookie).isNotNull();
        assertThat(cookie.isSecure()).isTrue();
        assertThat(cookie.isHttpOnly()).isTrue();
        EntityExchangeResult<Void> answer = http.post()
                .uri("/login")
                .cookie("DRAWBRIDGE_CONSOLE", cookie.getValue())
                .body(BodyInserters.fromFormData("username", username)
                        .with("password", password)
                        .with("_csrf", csrf.group(1).replace("&#45;", "-")))
                .exchange()
                .expectStatus()
                .is3xxRedirection()
                .expectHeader()
                .location(expectedLocation)
                .expectBody()
                .isEmpty();
        ResponseCookie renewed = answer.getResponseCookies().getFirst("DRAWBRIDGE_CONSOLE");
        return renewed != null ? renewed.getValue() : cookie.getValue();
    }
}
