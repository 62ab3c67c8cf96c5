package io.drawbridge.audit.sql;

import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Parameter;
import io.r2dbc.spi.Parameters;

/**
 * Bind values for nullable columns: a null still needs its SQL type, which R2DBC cannot infer from nothing.
 */
public final class SqlValue {

    private SqlValue() {}

    /** {@code value}, or a typed SQL NULL when it is null. */
    public static Parameter of(Object value, Class<?> type) {
        return value == null ? Parameters.in(type) : Parameters.in(value);
    }

    /** A {@code jsonb} value from JSON text. */
    public static Json json(String text) {
        return Json.of(text);
    }
}
