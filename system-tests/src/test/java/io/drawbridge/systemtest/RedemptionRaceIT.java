package io.drawbridge.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.drawbridge.systemtest.Drawbridge.Link;
import io.drawbridge.systemtest.Drawbridge.StoredFile;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * The limit holds however many clicks race for a link: 64 different clients (browsers, mail scanners, a shared link)
 * redeem a fresh one-download link at the same moment, through the gateway, Kafka and token-service.
 */
@ExtendWith(SystemUnderTest.class)
class RedemptionRaceIT {

    private static final int CLIENTS = 64;

    @RepeatedTest(3)
    void sixtyFourConcurrentRedeemsOfAOneDownloadLinkGrantExactlyOne(Drawbridge drawbridge) {
        StoredFile file = drawbridge.upload("race.bin", Drawbridge.content(64 * 1024, 4));
        Link link = drawbridge.issue(drawbridge.productWith(file), "race@example.com", 1);

        List<CompletableFuture<HttpResponse<String>>> redeems = IntStream.range(0, CLIENTS)
                .mapToObj(client -> drawbridge
                        .http()
                        .sendAsync(
                                drawbridge
                                        .customer(drawbridge.gateway() + "/d/" + link.token(), "racer/" + client)
                                        .header("Content-Type", "application/x-www-form-urlencoded")
                                        .POST(HttpRequest.BodyPublishers.ofString(""))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString()))
                .toList();
        Map<Integer, Long> statuses = redeems.stream()
                .map(CompletableFuture::join)
                .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));

        assertThat(statuses).containsExactlyInAnyOrderEntriesOf(Map.of(303, 1L, 429, (long) CLIENTS - 1));
        JsonNode token = drawbridge.token(link.tokenId());
        assertThat(token.get("uses").get("reserved").asInt()).isEqualTo(1);
        assertThat(token.get("grants")).hasSize(1);
    }
}
