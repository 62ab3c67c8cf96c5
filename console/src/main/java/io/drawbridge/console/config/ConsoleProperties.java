package io.drawbridge.console.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The console's settings ({@code drawbridge.console.*}).
 *
 * @param users who may sign in: a username and a password hash in Spring Security's {@code {id}hash} form
 *     ({@code {bcrypt}$2a$...} or {@code {argon2@SpringSecurity_v5_8}...}); entries with a blank name are ignored
 * @param adminToken the admin token the console uses on the other services' admin APIs on a signed-in seller's behalf
 * @param secureCookie the session cookie is {@code Secure} (browsers keep Secure cookies on http://localhost too)
 * @param maxFailures failed sign-ins of one username within {@code lockout} that lock it for {@code lockout}
 */
@Validated
@ConfigurationProperties("drawbridge.console")
public record ConsoleProperties(
        @DefaultValue List<User> users,
        URI tokenServiceUrl,
        URI fileServiceUrl,
        URI auditServiceUrl,
        URI publicUrl,
        String adminToken,
        @DefaultValue("true") boolean secureCookie,
        @DefaultValue("5") int maxFailures,
        @DefaultValue("15m") Duration lockout) {

    public ConsoleProperties {
        users = users == null
                ? List.of()
                : users.stream()
                        .filter(user ->
                                user.username() != null && !user.username().isBlank())
                        .toList();
    }

    public record User(String username, String passwordHash) {

        @Override
        public String toString() {
            return "User[" + username + "]";
        }
    }

    @Override
    public String toString() {
        return "ConsoleProperties[users=" + users + ", tokenServiceUrl=" + tokenServiceUrl + ", fileServiceUrl="
                + fileServiceUrl + ", auditServiceUrl=" + auditServiceUrl + "]";
    }
}
