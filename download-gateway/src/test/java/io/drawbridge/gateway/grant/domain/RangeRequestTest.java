package io.drawbridge.gateway.grant.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RangeRequestTest {

    private static final long SIZE = 1000;

    @Test
    void noHeaderMeansTheWholeFile() {
        assertThat(RangeRequest.decide(null, SIZE).range()).isEqualTo(new ByteRange(0, SIZE, false));
    }

    @Test
    void aClosedRangeIsServedAsIs() {
        assertThat(RangeRequest.decide("bytes=100-199", SIZE).range()).isEqualTo(new ByteRange(100, 100, true));
    }

    @Test
    void anOpenRangeRunsToTheEnd() {
        assertThat(RangeRequest.decide("bytes=900-", SIZE).range()).isEqualTo(new ByteRange(900, 100, true));
    }

    @Test
    void anEndBeyondTheFileIsClamped() {
        assertThat(RangeRequest.decide("bytes=990-5000", SIZE).range()).isEqualTo(new ByteRange(990, 10, true));
    }

    @Test
    void aSuffixRangeIsTheLastBytes() {
        assertThat(RangeRequest.decide("bytes=-10", SIZE).range()).isEqualTo(new ByteRange(990, 10, true));
        assertThat(RangeRequest.decide("bytes=-5000", SIZE).range()).isEqualTo(new ByteRange(0, SIZE, true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=1000-", "bytes=5000-6000", "bytes=-0"})
    void rangesOutsideTheFileAreUnsatisfiable(String header) {
        assertThat(RangeRequest.decide(header, SIZE).unsatisfiable()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "bytes=0-1,5-6",
                "bytes=abc",
                "items=0-5",
                "bytes=-",
                "bytes=5-3",
                "bytes=99999999999999999999999-",
                "bytes 0-5"
            })
    void malformedAndMultipleRangesAreIgnored(String header) {
        RangeRequest.Decision decision = RangeRequest.decide(header, SIZE);

        assertThat(decision.unsatisfiable()).isFalse();
        assertThat(decision.range()).isEqualTo(ByteRange.whole(SIZE));
    }

    @Test
    void anEmptyFileHasNoSatisfiableRange() {
        assertThat(RangeRequest.decide("bytes=0-", 0).unsatisfiable()).isTrue();
        assertThat(RangeRequest.decide(null, 0).range()).isEqualTo(ByteRange.whole(0));
    }
}
