package io.drawbridge.token.mail.domain;

import reactor.core.publisher.Mono;

/**
 * Hands a composed email to the mail server: completes when the server accepted it, fails with {@link MailRefused}
 * otherwise (saying whether another attempt could succeed).
 */
public interface LinkMailSender {

    Mono<Void> send(MailContent content);
}
