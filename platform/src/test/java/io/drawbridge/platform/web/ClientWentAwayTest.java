package io.drawbridge.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;
import reactor.netty.channel.AbortedException;

class ClientWentAwayTest {

    @Test
    void aConnectionClosedByTheClientIsNotAServerFailure() {
        assertThat(ProblemDetailsExceptionHandler.clientWentAway(new AbortedException("Connection has been closed")))
                .isTrue();
        assertThat(ProblemDetailsExceptionHandler.clientWentAway(
                        new UncheckedIOException(new IOException("Connection reset by peer"))))
                .isTrue();
        assertThat(ProblemDetailsExceptionHandler.clientWentAway(new IOException("Broken pipe")))
                .isTrue();
    }

    @Test
    void otherFailuresStillAre() {
        assertThat(ProblemDetailsExceptionHandler.clientWentAway(new IllegalStateException("boom")))
                .isFalse();
        assertThat(ProblemDetailsExceptionHandler.clientWentAway(new IOException("No space left on device")))
                .isFalse();
    }
}
