package io.drawbridge.console.pages;

import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The sign-in page: the form, and a button per configured OIDC provider. */
@Controller
class SignInPage {

    private final List<ClientRegistration> providers;

    SignInPage(ObjectProvider<ReactiveClientRegistrationRepository> clients) {
        List<ClientRegistration> found = new ArrayList<>();
        if (clients.getIfAvailable() instanceof Iterable<?> registrations) {
            registrations.forEach(registration -> found.add((ClientRegistration) registration));
        }
        this.providers = List.copyOf(found);
    }

    @GetMapping("/login")
    String login(Model model) {
        model.addAttribute("oidcProviders", providers);
        return "login";
    }
}
