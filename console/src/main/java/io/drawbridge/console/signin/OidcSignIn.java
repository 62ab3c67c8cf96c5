package io.drawbridge.console.signin;

import io.drawbridge.console.activity.ActionLog;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcReactiveOAuth2UserService;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.userinfo.ReactiveOAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.StandardClaimNames;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.server.WebFilterExchange;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationSuccessHandler;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authentication.ServerAuthenticationSuccessHandler;
import reactor.core.publisher.Mono;

/**
 * Sign-in through an OIDC provider (Spring Security's OAuth 2.0 client, authorization code flow with PKCE-less
 * confidential client, nonce and ID token checked by Spring): the provider says who someone is, {@link
 * OidcProperties} says whether they may come in. The seller is then named by their verified email address in the
 * action log, like a password user by their username.
 */
final class OidcSignIn {

    private static final Logger log = LoggerFactory.getLogger(OidcSignIn.class);

    private final OidcProperties properties;
    private final ActionLog actions;
    private final ReactiveOAuth2UserService<OidcUserRequest, OidcUser> provider = new OidcReactiveOAuth2UserService();

    OidcSignIn(OidcProperties properties, ActionLog actions) {
        this.properties = properties;
        this.actions = actions;
    }

    /** The provider's user, if their address is verified and allowed; named by that address. */
    ReactiveOAuth2UserService<OidcUserRequest, OidcUser> users() {
        return request -> provider.loadUser(request).flatMap(user -> {
            String email = user.getEmail();
            boolean verified = Boolean.TRUE.equals(user.getEmailVerified());
            if (!verified || !properties.allows(email)) {
                String who = email == null ? "oidc:" + user.getSubject() : email;
                return actions.record(
                                who,
                                "sign_in.refused",
                                "oidc",
                                verified ? "not on the allow-list" : "email not" + " verified")
                        .then(Mono.error(new OAuth2AuthenticationException(
                                new OAuth2Error("access_denied", "not allowed to use this console", null))));
            }
            return Mono.just((OidcUser) new DefaultOidcUser(
                    List.of(new SimpleGrantedAuthority("ROLE_SELLER")),
                    user.getIdToken(),
                    user.getUserInfo(),
                    StandardClaimNames.EMAIL));
        });
    }

    ServerAuthenticationSuccessHandler success() {
        RedirectServerAuthenticationSuccessHandler redirect = new RedirectServerAuthenticationSuccessHandler("/");
        return (WebFilterExchange exchange, org.springframework.security.core.Authentication authentication) ->
                actions.record(authentication.getName(), "sign_in", "oidc", null)
                        .then(redirect.onAuthenticationSuccess(exchange, authentication));
    }

    /** To the sign-in page; the reason (an OAuth 2.0 error code and text, never a token) in the log. */
    ServerAuthenticationFailureHandler failure() {
        RedirectServerAuthenticationFailureHandler redirect =
                new RedirectServerAuthenticationFailureHandler("/login?denied");
        return (exchange, failure) -> {
            log.info("OIDC sign-in refused: {}", failure.getMessage());
            return redirect.onAuthenticationFailure(exchange, failure);
        };
    }
}
