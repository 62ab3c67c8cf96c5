package io.drawbridge.audit.downloads.web;

import io.drawbridge.audit.downloads.domain.DownloadOutcome;
import io.drawbridge.platform.web.ProblemException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import org.springframework.http.HttpStatus;

/**
 * Parses the admin API's query parameters, answering 400 {@code validation_failed} with the parameter's name when
 * one is malformed. Times are ISO-8601 instants ({@code 2025-01-31T10:00:00Z}), offset date-times, or dates
 * ({@code 2025-01-31}, UTC): a date as {@code from} is the start of that day, as {@code to} its end.
 */
public final class AdminQuery {

    private AdminQuery() {}

    public static Instant from(String value) {
        return time("from", value, false);
    }

    public static Instant to(String value) {
        return time("to", value, true);
    }

    /** Checks that a period is not reversed. */
    public static void period(Instant from, Instant to) {
        if (from != null && to != null && !from.isBefore(to)) {
            throw invalid("from must be before to");
        }
    }

    static UUID uuid(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value.trim());
        } catch (IllegalArgumentException e) {
            throw invalid(name + " must be a UUID");
        }
    }

    static DownloadOutcome outcome(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return DownloadOutcome.parse(value.trim())
                .orElseThrow(() -> invalid("outcome must be one of " + DownloadOutcome.valuesText()));
    }

    static int integer(String name, String value, int defaultValue, int min, int max) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < min || parsed > max) {
                throw invalid(name + " must be between " + min + " and " + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw invalid(name + " must be a whole number");
        }
    }

    static String text(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static Instant time(String name, String value, boolean endOfDay) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.trim();
        try {
            if (trimmed.length() == 10) {
                LocalDate date = LocalDate.parse(trimmed);
                return (endOfDay ? date.plusDays(1) : date).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            return OffsetDateTime.parse(trimmed).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid(name + " must be an ISO-8601 date or date-time, e.g. 2025-01-31 or 2025-01-31T10:00:00Z");
        }
    }

    public static ProblemException invalid(String detail) {
        return new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", detail);
    }
}
