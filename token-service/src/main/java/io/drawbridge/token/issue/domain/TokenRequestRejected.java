package io.drawbridge.token.issue.domain;

/**
 * An admin request the domain refuses, with a stable machine code the web layer turns into a problem response.
 */
public class TokenRequestRejected extends RuntimeException {

    /**
     * Why: the request itself is malformed, it names things that do not exist, the token is unknown, or the
     * request conflicts with the link's or the order's state (already replaced, order refunded...).
     */
    public enum Kind {
        INVALID,
        UNPROCESSABLE,
        NOT_FOUND,
        CONFLICT
    }

    private final Kind kind;
    private final String error;

    public TokenRequestRejected(Kind kind, String error, String detail) {
        super(detail, null, false, false);
        this.kind = kind;
        this.error = error;
    }

    public static TokenRequestRejected invalid(String detail) {
        return new TokenRequestRejected(Kind.INVALID, "validation_failed", detail);
    }

    public static TokenRequestRejected conflict(String error, String detail) {
        return new TokenRequestRejected(Kind.CONFLICT, error, detail);
    }

    public Kind kind() {
        return kind;
    }

    public String error() {
        return error;
    }

    public String detail() {
        return getMessage();
    }
}
