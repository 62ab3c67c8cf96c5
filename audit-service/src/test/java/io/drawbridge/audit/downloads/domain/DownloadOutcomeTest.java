package io.drawbridge.audit.downloads.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.drawbridge.events.GrantOutcome;
import org.junit.jupiter.api.Test;

class DownloadOutcomeTest {

    @Test
    void aGrantIsInProgressUntilTokenServiceSettlesIt() {
        assertThat(DownloadOutcome.ofGrant(null)).isEqualTo(DownloadOutcome.IN_PROGRESS);
        assertThat(DownloadOutcome.IN_PROGRESS.decided()).isFalse();
        assertThat(DownloadOutcome.PENDING.decided()).isFalse();
    }

    @Test
    void everySettlementOfTokenServiceIsADecidedOutcome() {
        assertThat(DownloadOutcome.ofGrant(GrantOutcome.COMPLETED)).isEqualTo(DownloadOutcome.COMPLETED);
        assertThat(DownloadOutcome.ofGrant(GrantOutcome.RELEASED)).isEqualTo(DownloadOutcome.FAILED);
        assertThat(DownloadOutcome.ofGrant(GrantOutcome.REVOKED)).isEqualTo(DownloadOutcome.REVOKED);
        for (GrantOutcome settled : GrantOutcome.values()) {
            assertThat(DownloadOutcome.ofGrant(settled).decided())
                    .as("%s", settled)
                    .isTrue();
        }
    }

    @Test
    void storedValuesParseBack() {
        for (DownloadOutcome outcome : DownloadOutcome.values()) {
            assertThat(DownloadOutcome.parse(outcome.value())).contains(outcome);
        }
        assertThat(DownloadOutcome.parse("IN_PROGRESS")).contains(DownloadOutcome.IN_PROGRESS);
        assertThat(DownloadOutcome.valuesText()).isEqualTo("pending, in_progress, completed, failed, revoked, denied");
    }
}
