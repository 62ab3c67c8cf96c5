package io.drawbridge.platform.privacy;

import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * What a service keeps about customers, erased on request: a service that has such data declares one bean of this
 * type, and {@link CustomerErasureListener} answers the erasure requests on {@code privacy.v1} with it.
 */
public interface ErasureOwner {

    /**
     * SQL that is true where {@code column} holds the address whose hash is bound as {@code :hash}: the SQL form of
     * {@code CustomerErasureRequested.emailHash} (SHA-256 of the trimmed, lower-cased address, hex).
     */
    static String addressHashMatches(String column) {
        return "encode(sha256(convert_to(lower(btrim(" + column + ")), 'UTF8')), 'hex') = :hash";
    }

    /**
     * Erases, in the caller's transaction, what names the customer whose trimmed, lower-cased address hashes (SHA-256,
     * hex) to {@code emailHash}, writing {@code label} where an address was; rows changed per kind of record.
     */
    Mono<Map<String, Long>> erase(String emailHash, String label);
}
