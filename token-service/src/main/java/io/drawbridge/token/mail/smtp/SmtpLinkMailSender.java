package io.drawbridge.token.mail.smtp;

import io.drawbridge.token.mail.domain.LinkMailSender;
import io.drawbridge.token.mail.domain.MailContent;
import io.drawbridge.token.mail.domain.MailRefused;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Sends link emails over SMTP with Boot's {@link JavaMailSender} ({@code spring.mail.*}): a {@code
 * multipart/alternative} message, plain text first, then HTML. JavaMail blocks, so each attempt runs on the
 * bounded-elastic scheduler, never on a Netty or Kafka thread. Failures become {@link MailRefused}: a recipient the
 * server rejects for good is permanent, anything else (server unreachable, "try later") is worth another attempt.
 */
@Component
class SmtpLinkMailSender implements LinkMailSender {

    private final JavaMailSender mail;

    SmtpLinkMailSender(JavaMailSender mail) {
        this.mail = mail;
    }

    @Override
    public Mono<Void> send(MailContent content) {
        return Mono.fromRunnable(() -> sendNow(content))
                .subscribeOn(Schedulers.boundedElastic())
                .then();
    }

    private void sendNow(MailContent content) {
        MimeMessage message;
        try {
            message = message(content);
        } catch (MessagingException | UnsupportedEncodingException e) {
            throw new MailRefused("invalid_message", false, e.getMessage(), e);
        }
        try {
            mail.send(message);
        } catch (MailAuthenticationException e) {
            throw new MailRefused("smtp_auth_failed", false, e.getMessage(), e);
        } catch (MailSendException e) {
            if (rejectsRecipient(e)) {
                throw new MailRefused("recipient_rejected", false, e.getMessage(), e);
            }
            throw new MailRefused("smtp_unavailable", true, e.getMessage(), e);
        } catch (MailException e) {
            throw new MailRefused("smtp_error", true, e.getMessage(), e);
        }
    }

    private MimeMessage message(MailContent content) throws MessagingException, UnsupportedEncodingException {
        MimeMessage message = mail.createMimeMessage();
        message.setFrom(new InternetAddress(content.from(), content.fromName(), StandardCharsets.UTF_8.name()));
        message.setReplyTo(new InternetAddress[] {new InternetAddress(content.replyTo(), true)});
        message.setRecipients(
                Message.RecipientType.TO, new InternetAddress[] {new InternetAddress(content.to(), true)});
        message.setSubject(content.subject(), StandardCharsets.UTF_8.name());
        message.setSentDate(new Date());
        // Transactional mail about a purchase: tells auto-responders not to answer it (RFC 3834).
        message.setHeader("Auto-Submitted", "auto-generated");
        MimeBodyPart text = new MimeBodyPart();
        text.setText(content.text(), StandardCharsets.UTF_8.name(), "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(content.html(), StandardCharsets.UTF_8.name(), "html");
        MimeMultipart alternative = new MimeMultipart("alternative");
        alternative.addBodyPart(text);
        alternative.addBodyPart(html);
        message.setContent(alternative);
        message.saveChanges();
        // After saveChanges (which would make up a new one): the same id on every attempt. JavaMailSenderImpl keeps it.
        message.setHeader("Message-ID", content.messageId());
        return message;
    }

    /** Whether the server refused a recipient for good (5xx on RCPT TO), where another attempt cannot help. */
    static boolean rejectsRecipient(MailSendException failure) {
        for (Exception each : failure.getMessageExceptions()) {
            Throwable cause = each;
            while (cause != null) {
                if (cause instanceof SendFailedException sendFailed
                        && sendFailed.getInvalidAddresses() != null
                        && sendFailed.getInvalidAddresses().length > 0) {
                    return true;
                }
                cause = cause.getCause();
            }
        }
        return false;
    }
}
