package io.drawbridge.file.share.domain;

/**
 * A share request refused, with the public API's machine code. The web layer maps the reason to a status; the domain
 * knows no HTTP. Carries no stack trace: it is an answer.
 */
public final class ShareRefused extends RuntimeException {

    /** Why; {@link #code()} is the problem's {@code error}. */
    public enum Reason {
        INVALID_TOKEN("invalid_token"),
        WRONG_PASSWORD("wrong_password"),
        LOCKED("share_locked"),
        GONE("share_gone"),
        BUSY("share_busy"),
        INVALID("validation_failed"),
        EMPTY("empty_share"),
        TOO_LARGE("share_too_large");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final Reason reason;
    private final Integer triesLeft;

    ShareRefused(Reason reason, String detail) {
        this(reason, detail, null);
    }

    ShareRefused(Reason reason, String detail, Integer triesLeft) {
        super(detail, null, false, false);
        this.reason = reason;
        this.triesLeft = triesLeft;
    }

    public Reason reason() {
        return reason;
    }

    /** Password tries left, for {@code wrong_password}; null otherwise. */
    public Integer triesLeft() {
        return triesLeft;
    }

    public String detail() {
        return getMessage();
    }
}
