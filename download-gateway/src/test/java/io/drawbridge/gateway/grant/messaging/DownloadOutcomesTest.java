package io.drawbridge.gateway.grant.messaging;

import static io.drawbridge.gateway.grant.messaging.DownloadOutcomes.CLIENT_ABORTED;
import static io.drawbridge.gateway.grant.messaging.DownloadOutcomes.INCOMPLETE;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DownloadOutcomesTest {

    @Test
    void aClientThatClosesAfterReadingEveryByteCompletedItsDownload() {
        assertThat(DownloadOutcomes.failure(true, 3532, 3532, CLIENT_ABORTED)).isNull();
        // ...also when it hangs up before the storage stream reported its own end.
        assertThat(DownloadOutcomes.failure(false, 1_073_741_824L, 1_073_741_824L, CLIENT_ABORTED))
                .isNull();
    }

    @Test
    void aClientThatLeavesBeforeTheEndAbortedIt() {
        assertThat(DownloadOutcomes.failure(false, 1024, 3532, CLIENT_ABORTED)).isEqualTo(CLIENT_ABORTED);
    }

    @Test
    void aBodyThatEndsShortOfItsLengthIsIncomplete() {
        assertThat(DownloadOutcomes.failure(true, 1024, 3532, INCOMPLETE)).isEqualTo(INCOMPLETE);
        assertThat(DownloadOutcomes.failure(false, 1024, 3532, CLIENT_ABORTED)).isEqualTo(CLIENT_ABORTED);
    }

    @Test
    void aZipCountsAsDeliveredWhenItsWholeBodyWasHandedOver() {
        assertThat(DownloadOutcomes.failure(true, 70_000, -1, CLIENT_ABORTED)).isNull();
        assertThat(DownloadOutcomes.failure(false, 70_000, -1, CLIENT_ABORTED)).isEqualTo(CLIENT_ABORTED);
    }
}
