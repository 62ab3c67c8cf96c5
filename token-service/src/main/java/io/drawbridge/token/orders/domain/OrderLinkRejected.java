package io.drawbridge.token.orders.domain;

/**
 * A request about an order's links that cannot be granted, with a stable machine code the web layer turns into a
 * problem response; {@code retryLater} when the answer may change by itself (the payment has not reached
 * token-service yet).
 */
public class OrderLinkRejected extends RuntimeException {

    /** How the refusal maps to HTTP. */
    public enum Kind {
        INVALID,
        NOT_FOUND,
        FORBIDDEN,
        CONFLICT
    }

    private final Kind kind;
    private final String error;
    private final boolean retryLater;

    public OrderLinkRejected(Kind kind, String error, String detail, boolean retryLater) {
        super(detail, null, false, false);
        this.kind = kind;
        this.error = error;
        this.retryLater = retryLater;
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

    public boolean retryLater() {
        return retryLater;
    }
}
