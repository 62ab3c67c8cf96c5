package io.drawbridge.token.config;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The link emails ({@code drawbridge.token.mail.*}): the seller's brand, and how hard to try. The SMTP server itself
 * is Boot's {@code spring.mail.*} (application.yml maps {@code DRAWBRIDGE_SMTP_*} onto it).
 *
 * <p>An email is tried {@code attempts} times, waiting {@code initialBackoff} doubling up to {@code maxBackoff}
 * between tries, with the same message held in memory (the plaintext token is never stored, so nothing else could
 * retry it). {@code abandonAfter} must be longer than all of that: an email still pending after it was lost with
 * the process that was sending it, and its links are marked failed for an admin to re-send.
 *
 * @param from the sender address
 * @param sellerName shown as the sender's name, in the subject and the signature
 * @param supportAddress where customers write with questions (also the Reply-To)
 */
@Validated
@ConfigurationProperties("drawbridge.token.mail")
public record LinkMailProperties(
        @NotBlank @Email @DefaultValue("downloads@drawbridge.localhost") String from,
        @NotBlank @DefaultValue("Drawbridge") String sellerName,
        @NotBlank @Email @DefaultValue("support@drawbridge.localhost") String supportAddress,
        @Min(1) @DefaultValue("5") int attempts,
        @NotNull @DefaultValue("2s") Duration initialBackoff,
        @NotNull @DefaultValue("1m") Duration maxBackoff,
        @NotNull @DefaultValue("15m") Duration abandonAfter) {}
