package io.drawbridge.console.webhook;

import java.time.Instant;

/** Typed nulls for R2DBC binds ({@code bind(name, null)} is refused; a typed null is what the driver wants). */
final class SqlValues {

    private SqlValues() {}

    static Object integer(Integer value) {
        return value == null ? io.r2dbc.spi.Parameters.in(Integer.class) : value;
    }

    static Object text(String value) {
        return value == null ? io.r2dbc.spi.Parameters.in(String.class) : value;
    }

    static Object instant(Instant value) {
        return value == null ? io.r2dbc.spi.Parameters.in(Instant.class) : value;
    }
}
