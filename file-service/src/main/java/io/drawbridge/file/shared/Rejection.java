package io.drawbridge.file.shared;

/**
 * A request the domain refuses, with a stable machine code ({@code error}) and a sentence for people. The web layer
 * turns the {@link Kind} into an HTTP status; the domain knows nothing of HTTP.
 */
public class Rejection extends RuntimeException {

    /** Why, in protocol-neutral terms. */
    public enum Kind {
        INVALID,
        NOT_FOUND,
        CONFLICT,
        GONE,
        TOO_LARGE,
        UNSUPPORTED_TYPE,
        UNPROCESSABLE,
        UNAVAILABLE
    }

    private final Kind kind;
    private final String error;

    public Rejection(Kind kind, String error, String detail) {
        super(detail, null, false, false);
        this.kind = kind;
        this.error = error;
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
