package io.drawbridge.audit.timeline.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class TimelinePhasesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void grantSettledComesAfterTheDownloadAndBeforeTheRefund() {
        JsonNode payload = JSON.readTree("{\"outcome\":\"completed\"}");
        String phase = TimelinePhases.phase("GrantSettled", payload);
        assertThat(phase).isEqualTo("settled");
        assertThat(TimelinePhases.rank(phase))
                .isGreaterThan(TimelinePhases.rank("downloaded"))
                .isLessThan(TimelinePhases.rank("exhausted"))
                .isLessThan(TimelinePhases.rank("refunded"));
    }

    @Test
    void grantSettledSaysTokenServicesOutcome() {
        assertThat(summary("{\"outcome\":\"released\",\"bytesSent\":1000,\"downloadSize\":5000}"))
                .isEqualTo("Download not completed, use given back: 1000 of 5000 bytes sent");
        assertThat(summary("{\"outcome\":\"completed\",\"bytesSent\":7,\"downloadSize\":7,\"archive\":\"laid_out\"}"))
                .isEqualTo("Download completed: 7 of 7 bytes sent as a laid-out ZIP");
        assertThat(summary("{\"outcome\":\"revoked\",\"bytesSent\":0,\"downloadSize\":9}"))
                .isEqualTo("Download stopped, link revoked: 0 of 9 bytes sent");
        assertThat(summary("{\"outcome\":\"paused\",\"bytesSent\":0,\"downloadSize\":9}"))
                .isEqualTo("Download settled (paused): 0 of 9 bytes sent");
    }

    private static String summary(String payload) {
        return TimelinePhases.summary("GrantSettled", JSON.readTree(payload));
    }
}
