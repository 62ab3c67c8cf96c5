package io.drawbridge.console.signin;

import io.drawbridge.console.activity.ActionLog;
import io.drawbridge.console.config.ConsoleProperties;
import java.time.Clock;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UserDetailsRepositoryReactiveAuthenticationManager;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.client.endpoint.WebClientReactiveAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.oidc.authentication.OidcAuthorizationCodeReactiveAuthenticationManager;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationSuccessHandler;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.csrf.XorServerCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.server.session.CookieWebSessionIdResolver;
import org.springframework.web.server.session.WebSessionIdResolver;
import reactor.core.publisher.Mono;

/**
 * Two filter chains. The APIs ({@code /api/**}, {@code /internal/**}, {@code /actuator/**}) are guarded by the
 * platform's bearer-token filter (admin token, API keys with scopes, service token) and need neither a session nor
 * CSRF. Everything else is the console for people: a form sign-in against the configured users (password hashes,
 * bcrypt or Argon2id), a session cookie that is HttpOnly, SameSite=Lax and Secure, CSRF tokens on every form, a lockout
 * after repeated failures; and, when an OIDC client registration is configured, sign-in through that provider for the
 * people {@link OidcProperties} allows.
 */
@Configuration
@EnableWebFluxSecurity
class SecurityConfiguration {

    @Bean
    @Order(1)
    SecurityWebFilterChain apiChain(ServerHttpSecurity http) {
        return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/api/**", "/internal/**", "/actuator/**"))
                .authorizeExchange(exchanges -> exchanges.anyExchange().permitAll())
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .build();
    }

    @Bean
    @Order(2)
    SecurityWebFilterChain consoleChain(
            ServerHttpSecurity http,
            ReactiveUserDetailsService users,
            ConsoleProperties properties,
            ActionLog actions,
            ObjectProvider<ReactiveClientRegistrationRepository> oidcClients,
            OidcProperties oidc) {
        UserDetailsRepositoryReactiveAuthenticationManager passwords =
                new UserDetailsRepositoryReactiveAuthenticationManager(users);
        passwords.setPasswordEncoder(passwordEncoder());
        LockingAuthenticationManager manager = new LockingAuthenticationManager(
                passwords,
                new SignInThrottle(properties.maxFailures(), properties.lockout(), Clock.systemUTC()),
                actions);
        ServerAuthenticationFailureHandler badPassword = new RedirectServerAuthenticationFailureHandler("/login?error");
        ServerAuthenticationFailureHandler locked = new RedirectServerAuthenticationFailureHandler("/login?locked");
        ReactiveClientRegistrationRepository clients = oidcClients.getIfAvailable();
        if (clients != null) {
            // OIDC only when a client registration is configured; the form sign-in stays beside it.
            OidcSignIn signIn = new OidcSignIn(oidc, actions);
            http.oauth2Login(login -> login.clientRegistrationRepository(clients)
                    .authenticationManager(new OidcAuthorizationCodeReactiveAuthenticationManager(
                            new WebClientReactiveAuthorizationCodeTokenResponseClient(), signIn.users()))
                    .authenticationSuccessHandler(signIn.success())
                    .authenticationFailureHandler(signIn.failure()));
        }
        return http.authorizeExchange(exchanges -> exchanges
                        .pathMatchers("/login", "/console.css", "/favicon.ico")
                        .permitAll()
                        .anyExchange()
                        .authenticated())
                .formLogin(form -> form.loginPage("/login")
                        .authenticationManager(manager)
                        .authenticationSuccessHandler(new RedirectServerAuthenticationSuccessHandler("/"))
                        .authenticationFailureHandler((exchange, failure) -> failure instanceof LockedException
                                ? locked.onAuthenticationFailure(exchange, failure)
                                : badPassword.onAuthenticationFailure(exchange, failure)))
                // The sign-in page, not a provider's: with one OIDC registration Spring would send everyone there.
                .exceptionHandling(handling ->
                        handling.authenticationEntryPoint(new RedirectServerAuthenticationEntryPoint("/login")))
                .logout(logout -> logout.logoutUrl("/logout"))
                .csrf(csrf -> csrf.csrfTokenRequestHandler(csrfHandler()))
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .headers(headers -> headers.referrerPolicy(policy ->
                                policy.policy(ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy.NO_REFERRER))
                        .contentSecurityPolicy(csp -> csp.policyDirectives("default-src 'self'; img-src 'self' data:;"
                                + " connect-src 'self' *; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'")))
                .build();
    }

    /** CSRF tokens from forms, headers (the upload script) and multipart forms (the CSV batch). */
    private static XorServerCsrfTokenRequestAttributeHandler csrfHandler() {
        XorServerCsrfTokenRequestAttributeHandler handler = new XorServerCsrfTokenRequestAttributeHandler();
        handler.setTokenFromMultipartDataEnabled(true);
        return handler;
    }

    /** {@code {bcrypt}...}, {@code {argon2@SpringSecurity_v5_8}...}, ...: the hash says how it was made. */
    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    ReactiveUserDetailsService consoleUsers(ConsoleProperties properties) {
        Map<String, UserDetails> users = properties.users().stream()
                .collect(Collectors.toMap(ConsoleProperties.User::username, user -> User.withUsername(user.username())
                        .password(user.passwordHash())
                        .roles("SELLER")
                        .build()));
        return username ->
                Mono.justOrEmpty(users.get(username)).map(User::withUserDetails).map(User.UserBuilder::build);
    }

    /** The session cookie: HttpOnly, SameSite=Lax, Secure unless turned off for plain-HTTP hosts other than localhost. */
    @Bean
    WebSessionIdResolver webSessionIdResolver(ConsoleProperties properties) {
        CookieWebSessionIdResolver resolver = new CookieWebSessionIdResolver();
        resolver.setCookieName("DRAWBRIDGE_CONSOLE");
        resolver.addCookieInitializer(cookie -> cookie.httpOnly(true)
                .sameSite("Lax")
                .secure(properties.secureCookie())
                .path("/"));
        return resolver;
    }
}
