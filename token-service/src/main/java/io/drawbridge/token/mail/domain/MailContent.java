package io.drawbridge.token.mail.domain;

/**
 * A composed email: who it is from and for, the subject, and the same words as plain text and as HTML. {@code
 * messageId} is fixed when composed, so every attempt to send it is the same message to the receiving side (which
 * can drop a copy that an attempt delivered although it looked failed).
 */
public record MailContent(
        String messageId,
        String from,
        String fromName,
        String replyTo,
        String to,
        String subject,
        String text,
        String html) {

    @Override
    public String toString() {
        return "MailContent[messageId=" + messageId + "]";
    }
}
