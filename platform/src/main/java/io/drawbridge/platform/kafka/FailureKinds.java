package io.drawbridge.platform.kafka;

import java.net.ConnectException;
import java.util.Set;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;

/**
 * Tells a consumer failure that passes by itself (the database or the broker is away for a moment) from one that will
 * fail the same way however often it is tried. The first is retried until it passes; only the second may end in a
 * dead-letter topic.
 */
final class FailureKinds {

    private static final Set<String> TRANSIENT_BY_NAME = Set.of(
            // r2dbc-spi: a connection that could not be had or broke; a transient condition.
            "io.r2dbc.spi.R2dbcTransientException",
            "io.r2dbc.spi.R2dbcNonTransientResourceException",
            // kafka-clients: the broker (or its leader) is unreachable or slow; retriable by definition.
            "org.apache.kafka.common.errors.RetriableException");

    private FailureKinds() {}

    /** Whether {@code failure}, or anything that caused it, says that a dependency is unavailable for now. */
    static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TransientDataAccessException
                    || cause instanceof DataAccessResourceFailureException
                    || cause instanceof RecoverableDataAccessException
                    || cause instanceof ConnectException
                    || cause instanceof java.util.concurrent.TimeoutException
                    || isA(cause.getClass())) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    private static boolean isA(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (TRANSIENT_BY_NAME.contains(c.getName())) {
                return true;
            }
        }
        return false;
    }
}
