package io.drawbridge.console.pages;

import java.text.NumberFormat;
import java.util.Locale;

/**
 * Byte counts as people read them ("52.0 MiB"), for the pages; the exact count goes in the cell's title. Public
 * because the templates call it ({@code ${sizes.human(f['size'])}}).
 */
public final class ByteSizes {

    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB"};

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 52.0 MiB}; blank for anything that is not a number. */
    public String human(Object bytes) {
        if (!(bytes instanceof Number number)) {
            return "";
        }
        long value = number.longValue();
        if (value < 1024) {
            return value + " B";
        }
        double scaled = value;
        int unit = -1;
        while (scaled >= 1024 && unit < UNITS.length - 1) {
            scaled /= 1024;
            unit++;
        }
        return String.format(Locale.ENGLISH, "%.1f %s", scaled, UNITS[unit]);
    }

    /** {@code 54,525,957 bytes}: the exact figure, for a title. */
    public String exact(Object bytes) {
        return bytes instanceof Number number
                ? NumberFormat.getIntegerInstance(Locale.ENGLISH).format(number.longValue()) + " bytes"
                : "";
    }
}
