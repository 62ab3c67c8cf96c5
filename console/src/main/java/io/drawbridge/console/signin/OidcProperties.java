package io.drawbridge.console.signin;

import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may sign in through OIDC ({@code drawbridge.console.oidc.*}), on top of the provider saying who they are. A
 * provider such as Google vouches for anyone with an account, so without an allow-list every one of them could sign in:
 * a person is let in only with a verified email address that is listed, or whose domain is. Nothing listed: nobody is
 * let in through OIDC (fail closed). OIDC itself is on only when a client registration is configured
 * ({@code spring.security.oauth2.client.registration.<id>.*}).
 *
 * @param allowedEmails exact addresses (case-insensitive)
 * @param allowedDomains domains whose every verified address may sign in ({@code example.com})
 */
@ConfigurationProperties("drawbridge.console.oidc")
public record OidcProperties(@DefaultValue List<String> allowedEmails, @DefaultValue List<String> allowedDomains) {

    /** Whether this verified address may sign in. */
    public boolean allows(String email) {
        if (email == null || email.isBlank() || !email.contains("@")) {
            return false;
        }
        String address = email.trim().toLowerCase(Locale.ROOT);
        String domain = address.substring(address.lastIndexOf('@') + 1);
        return allowedEmails.stream().anyMatch(allowed -> allowed.trim().equalsIgnoreCase(address))
                || allowedDomains.stream().anyMatch(allowed -> allowed.trim().equalsIgnoreCase(domain));
    }
}
