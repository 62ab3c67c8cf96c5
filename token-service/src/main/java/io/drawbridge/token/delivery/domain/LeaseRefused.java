package io.drawbridge.token.delivery.domain;

/**
 * A window of bytes a grant may not send, and why. Nothing was changed. The {@code error} codes are the internal
 * API's; the gateway turns them into the public ones.
 */
public final class LeaseRefused extends RuntimeException {

    /** Why a lease was refused. */
    public enum Reason {
        /** No such grant or lease. */
        NOT_FOUND("grant_not_found"),
        /** The request does not fit the grant (unknown file, wrong size, range outside it). */
        INVALID("invalid_lease"),
        /** The grant was released or expired. */
        GRANT_ENDED("token_expired"),
        /** The link was revoked. */
        REVOKED("token_revoked"),
        /** Another response of the same grant is sending these bytes right now. */
        RANGE_IN_USE("range_in_use"),
        /** The grant already sent these bytes, beyond what a resume may send again. */
        ALREADY_DELIVERED("already_delivered"),
        /** The grant gave its use back, and the link has none left to take again. */
        NO_USE_LEFT("usage_limit_exceeded"),
        /** The link's byte budget ({@code size × downloads} and the resend allowance) is spent. */
        BUDGET_SPENT("byte_budget_spent"),
        /** The gateway's deadline for the answer passed first: it has answered its client already. */
        LATE("answer_too_late");

        private final String error;

        Reason(String error) {
            this.error = error;
        }

        public String error() {
            return error;
        }
    }

    private final Reason reason;

    LeaseRefused(Reason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
