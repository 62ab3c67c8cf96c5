package io.drawbridge.order.antistock.client;

/**
 * Antistock refused the request (401, 403, 404, a malformed page, or throttling for longer than we wait): a retry
 * would get the same answer, so the run ends and the next scheduled one tries again.
 */
public class AntistockRejectedException extends RuntimeException {

    public AntistockRejectedException(String message) {
        super(message, null, false, false);
    }
}
