package io.drawbridge.token.mail.domain;

/**
 * The mail server did not take an email. {@code transientFailure}: the server was unreachable or said "try later",
 * so the same message is tried again; otherwise (a rejected recipient, a message the server refuses) retrying
 * cannot help. {@code code} is a short machine word for admins and logs; the message never contains the link.
 */
public class MailRefused extends RuntimeException {

    private final String code;
    private final boolean transientFailure;

    public MailRefused(String code, boolean transientFailure, String message, Throwable cause) {
        super(message, cause, false, false);
        this.code = code;
        this.transientFailure = transientFailure;
    }

    public String code() {
        return code;
    }

    public boolean isTransient() {
        return transientFailure;
    }

    /** {@code code: message}, at most 500 characters, for the token's {@code delivery_error}. */
    public String summary() {
        String text = code + (getMessage() == null ? "" : ": " + getMessage());
        return text.length() > 500 ? text.substring(0, 500) : text;
    }
}
