package io.drawbridge.platform.logging;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * The text log layout with {@link TokenMask} applied to the whole rendered line (message, arguments, MDC and
 * stack trace alike), so no code path can print a token by forgetting to mask it.
 */
public class MaskingPatternLayout extends PatternLayout {

    @Override
    public String doLayout(ILoggingEvent event) {
        return TokenMask.mask(super.doLayout(event));
    }
}
