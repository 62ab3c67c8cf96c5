package io.drawbridge.token.delivery.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.drawbridge.token.delivery.domain.ByteRanges.Span;
import java.util.List;
import org.junit.jupiter.api.Test;

class ByteRangesTest {

    @Test
    void overlappingAndOutOfOrderRangesCoverTheFile() {
        assertThat(ByteRanges.covers(List.of(span(60, 100), span(0, 40), span(30, 70)), 100))
                .isTrue();
    }

    @Test
    void aGapLeavesTheFileIncomplete() {
        assertThat(ByteRanges.covers(List.of(span(0, 40), span(41, 100)), 100)).isFalse();
        assertThat(ByteRanges.covers(List.of(span(0, 99)), 100)).isFalse();
        assertThat(ByteRanges.covers(List.of(), 100)).isFalse();
    }

    @Test
    void anEmptyTargetIsCoveredByAnyResponse() {
        assertThat(ByteRanges.covers(List.of(), 0)).isFalse();
        assertThat(ByteRanges.covers(List.of(span(0, 0)), 0)).isTrue();
    }

    @Test
    void overlapCountsEachHeldByteOnce() {
        List<Span> held = List.of(span(0, 50), span(40, 80), span(90, 100));
        assertThat(ByteRanges.overlap(held, span(0, 100))).isEqualTo(90);
        assertThat(ByteRanges.overlap(held, span(70, 95))).isEqualTo(15);
        assertThat(ByteRanges.overlap(held, span(80, 90))).isZero();
    }

    @Test
    void intersectsOnlyWhenABytesIsShared() {
        List<Span> running = List.of(span(100, 200));
        assertThat(ByteRanges.intersects(running, span(0, 100))).isFalse();
        assertThat(ByteRanges.intersects(running, span(200, 300))).isFalse();
        assertThat(ByteRanges.intersects(running, span(199, 300))).isTrue();
        assertThat(ByteRanges.intersects(running, span(0, 1000))).isTrue();
    }

    private static Span span(long start, long end) {
        return new Span(start, end);
    }
}
