package io.drawbridge.token.delivery.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.drawbridge.token.redeem.domain.GrantItem;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ByteRangesTest {

    private static final UUID A = UUID.randomUUID();
    private static final UUID B = UUID.randomUUID();
    private static final List<GrantItem> ITEMS = List.of(item(A, 100), item(B, 50));

    @Test
    void overlappingAndOutOfOrderRangesCoverTheFile() {
        assertThat(ByteRanges.covers(List.of(range(A, 60, 100), range(A, 0, 40), range(A, 30, 70)), 100))
                .isTrue();
    }

    @Test
    void aGapLeavesTheFileIncomplete() {
        assertThat(ByteRanges.covers(List.of(range(A, 0, 40), range(A, 41, 100)), 100))
                .isFalse();
        assertThat(ByteRanges.covers(List.of(range(A, 0, 99)), 100)).isFalse();
        assertThat(ByteRanges.covers(List.of(), 100)).isFalse();
    }

    @Test
    void everyItemMustBeCovered() {
        assertThat(ByteRanges.deliverComplete(ITEMS, List.of(range(A, 0, 100)))).isFalse();
        assertThat(ByteRanges.deliverComplete(ITEMS, List.of(range(A, 0, 100), range(B, 0, 50))))
                .isTrue();
    }

    @Test
    void rangesOfAnotherFileDoNotCount() {
        assertThat(ByteRanges.deliverComplete(List.of(item(A, 10)), List.of(range(B, 0, 10))))
                .isFalse();
    }

    @Test
    void theWholeZipCompletesTheGrant() {
        assertThat(ByteRanges.deliverComplete(ITEMS, List.of(new DeliveredRange(null, 0, 170, 170))))
                .isTrue();
        assertThat(ByteRanges.deliverComplete(ITEMS, List.of(new DeliveredRange(null, 0, 169, 170))))
                .isFalse();
    }

    @Test
    void anEmptyFileIsDeliveredByAnyCompletedResponse() {
        List<GrantItem> empty = List.of(item(A, 0));
        assertThat(ByteRanges.deliverComplete(empty, List.of())).isFalse();
        assertThat(ByteRanges.deliverComplete(empty, List.of(range(A, 0, 0)))).isTrue();
    }

    private static DeliveredRange range(UUID file, long start, long end) {
        return new DeliveredRange(file, start, end, 0);
    }

    private static GrantItem item(UUID id, long size) {
        return new GrantItem(id, "k", "n", size, "s", "application/octet-stream", null, null);
    }
}
