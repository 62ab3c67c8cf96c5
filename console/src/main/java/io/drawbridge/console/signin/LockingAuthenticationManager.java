package io.drawbridge.console.signin;

import io.drawbridge.console.activity.ActionLog;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import reactor.core.publisher.Mono;

/** Password sign-in with a lockout ({@link SignInThrottle}); every attempt goes to the {@link ActionLog}. */
final class LockingAuthenticationManager implements ReactiveAuthenticationManager {

    private final ReactiveAuthenticationManager passwords;
    private final SignInThrottle throttle;
    private final ActionLog actions;

    LockingAuthenticationManager(ReactiveAuthenticationManager passwords, SignInThrottle throttle, ActionLog actions) {
        this.passwords = passwords;
        this.throttle = throttle;
        this.actions = actions;
    }

    @Override
    public Mono<Authentication> authenticate(Authentication attempt) {
        String username = attempt.getName();
        if (throttle.isLocked(username)) {
            return actions.record(username, "sign_in.locked", null, "refused while locked")
                    .then(Mono.error(new LockedException("Too many failed sign-ins; try again later.")));
        }
        return passwords
                .authenticate(attempt)
                .flatMap(done -> {
                    throttle.succeeded(username);
                    return actions.record(username, "sign_in", null, null).thenReturn(done);
                })
                .onErrorResume(BadCredentialsException.class, failure -> {
                    throttle.failed(username);
                    return actions.record(username, "sign_in.failed", null, null)
                            .then(Mono.error(failure));
                });
    }
}
