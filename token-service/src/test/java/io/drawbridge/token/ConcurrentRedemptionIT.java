package io.drawbridge.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.events.DownloadDenied;
import io.drawbridge.events.DownloadGranted;
import io.drawbridge.events.DownloadRequested;
import io.drawbridge.events.Event;
import io.drawbridge.token.issue.domain.TokenSecret;
import io.drawbridge.token.redeem.domain.DenialReason;
import io.drawbridge.token.redeem.domain.RedeemOutcome;
import io.drawbridge.token.redeem.domain.RedeemRequest;
import io.drawbridge.token.redeem.domain.Redemptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/** A one-download link raced for by many clients, and by redeliveries of the same request. */
class ConcurrentRedemptionIT extends TokenServiceTestBase {

    @Autowired
    Redemptions redemptions;

    @Test
    void sixtyFourRequestsOverKafkaForAOneDownloadLinkGetExactlyOneGrant() {
        String token = oneDownloadLink();
        List<DownloadRequested> requests = IntStream.range(0, 64)
                .mapToObj(i -> request(token, "198.51.100." + i, "client-" + i, null, null))
                .toList();
        List<DownloadRequested> redelivered = requests.subList(0, 16);

        Flux.fromIterable(requests)
                .concatWith(Flux.fromIterable(redelivered))
                .flatMap(publisher::publish, 64)
                .blockLast(KAFKA);

        await().atMost(KAFKA).until(() -> requests.stream()
                .allMatch(r -> !collected.repliesTo(r.requestId()).isEmpty()));
        await().atMost(KAFKA).until(() -> redelivered.stream()
                .allMatch(r -> collected.repliesTo(r.requestId()).size() == 2));
        List<Event> firstReplies = requests.stream()
                .map(r -> collected.repliesTo(r.requestId()).get(0))
                .toList();
        assertThat(firstReplies).filteredOn(DownloadGranted.class::isInstance).hasSize(1);
        assertThat(firstReplies)
                .filteredOn(DownloadDenied.class::isInstance)
                .hasSize(63)
                .allSatisfy(
                        reply -> assertThat(((DownloadDenied) reply).reason()).isEqualTo("usage_limit_exceeded"));
        for (DownloadRequested r : redelivered) {
            List<Event> both = collected.repliesTo(r.requestId());
            assertThat(both.get(1)).isEqualTo(both.get(0));
        }
        UUID tokenId = ((DownloadGranted) firstReplies.stream()
                        .filter(DownloadGranted.class::isInstance)
                        .findFirst()
                        .orElseThrow())
                .tokenId();
        assertThat(count("SELECT count(*) FROM download_grant WHERE token_id = :id", tokenId))
                .isEqualTo(1);
        assertThat(uses(tokenId)).containsExactly(0, 1);
    }

    @Test
    void sixtyFourConcurrentRedemptionsOutsideThePartitionOrderStillGrantOnce() {
        String token = oneDownloadLink();
        List<RedeemRequest> requests = IntStream.range(0, 64)
                .mapToObj(i -> new RedeemRequest(
                        UUID.randomUUID(),
                        TokenSecret.hashOf(token),
                        null,
                        null,
                        "198.51.100." + i,
                        "parallel-" + i,
                        "it-gateway",
                        Instant.now()))
                .toList();

        List<RedeemOutcome> outcomes = Flux.fromIterable(requests)
                .flatMap(r -> redemptions.redeem(r).subscribeOn(Schedulers.boundedElastic()), 64)
                .collectList()
                .block(KAFKA);

        assertThat(outcomes).hasSize(64);
        assertThat(outcomes).filteredOn(RedeemOutcome.Granted.class::isInstance).hasSize(1);
        UUID tokenId = ((RedeemOutcome.Granted) outcomes.stream()
                        .filter(RedeemOutcome.Granted.class::isInstance)
                        .findFirst()
                        .orElseThrow())
                .grant()
                .tokenId();
        assertThat(uses(tokenId)).containsExactly(0, 1);
    }

    @Test
    void theSameRequestDeliveredConcurrentlyIsAppliedOnce() {
        String token = oneDownloadLink();
        RedeemRequest request = new RedeemRequest(
                UUID.randomUUID(),
                TokenSecret.hashOf(token),
                null,
                null,
                "198.51.100.1",
                "dup",
                "it-gateway",
                Instant.now());

        List<RedeemOutcome> outcomes = Flux.range(0, 16)
                .flatMap(i -> redemptions.redeem(request).subscribeOn(Schedulers.boundedElastic()), 16)
                .collectList()
                .block(KAFKA);

        assertThat(outcomes).hasSize(16).allSatisfy(outcome -> assertThat(outcome)
                .isInstanceOf(RedeemOutcome.Granted.class));
        assertThat(outcomes)
                .extracting(outcome -> ((RedeemOutcome.Granted) outcome).grant().id())
                .containsOnly(((RedeemOutcome.Granted) outcomes.get(0)).grant().id());
        UUID tokenId = ((RedeemOutcome.Granted) outcomes.get(0)).grant().tokenId();
        assertThat(count("SELECT count(*) FROM download_grant WHERE token_id = :id", tokenId))
                .isEqualTo(1);
        assertThat(uses(tokenId)).containsExactly(0, 1);
    }

    @Test
    void aPollIsDecidedInItsOrderAsIfOneAtATime() {
        String sku = unique("sku");
        productWithOneFile(sku, 10);
        String token = (String) issue(Map.of("customer_email", "poll@example.com", "product", sku, "max_downloads", 3))
                .get("token");
        List<RedeemRequest> poll = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            poll.add(redeemRequest(token, "198.51.100." + i, "poll-" + i));
        }
        RedeemRequest again = redeemRequest(token, "198.51.100.0", "poll-0");
        RedeemRequest unknown = redeemRequest("dl_unknown_" + UUID.randomUUID(), "198.51.100.9", "poll-9");
        poll.add(2, again);
        poll.add(unknown);
        poll.add(poll.get(0)); // the same request twice in one poll (a redelivery)

        Map<UUID, List<RedeemOutcome>> byRequest = redemptions.redeemAll(poll).block(KAFKA).stream()
                .collect(Collectors.groupingBy(RedeemOutcome::requestId));

        RedeemOutcome.Granted first =
                (RedeemOutcome.Granted) byRequest.get(poll.get(0).requestId()).get(0);
        assertThat(first.downloadsRemaining()).isEqualTo(2);
        assertThat(((RedeemOutcome.Granted)
                                byRequest.get(poll.get(1).requestId()).get(0))
                        .downloadsRemaining())
                .isEqualTo(1);
        RedeemOutcome.Granted reused =
                (RedeemOutcome.Granted) byRequest.get(again.requestId()).get(0);
        assertThat(reused.reused()).isTrue();
        assertThat(reused.grant().id()).isEqualTo(first.grant().id());
        assertThat(((RedeemOutcome.Granted)
                                byRequest.get(poll.get(3).requestId()).get(0))
                        .downloadsRemaining())
                .isZero();
        for (RedeemRequest late : List.of(poll.get(4), poll.get(5))) {
            assertThat(((RedeemOutcome.Denied) byRequest.get(late.requestId()).get(0)).reason())
                    .isEqualTo(DenialReason.USAGE_LIMIT_EXCEEDED);
        }
        assertThat(((RedeemOutcome.Denied) byRequest.get(unknown.requestId()).get(0)).reason())
                .isEqualTo(DenialReason.INVALID_TOKEN);
        assertThat(byRequest.get(poll.get(0).requestId())).hasSize(2).last().satisfies(replay -> {
            assertThat(replay.replayed()).isTrue();
            assertThat(((RedeemOutcome.Granted) replay).grant().id())
                    .isEqualTo(first.grant().id());
        });
        assertThat(uses(first.grant().tokenId())).containsExactly(0, 3);
        assertThat(count(
                        "SELECT count(*) FROM download_grant WHERE token_id = :id",
                        first.grant().tokenId()))
                .isEqualTo(3);
        assertThat(count(
                        "SELECT count(*) FROM token_history WHERE token_id = :id AND kind = 'granted'",
                        first.grant().tokenId()))
                .isEqualTo(3);
    }

    @Test
    void aRedeliveredPollIsAnsweredAgainNotApplied() {
        String token = oneDownloadLink();
        List<RedeemRequest> poll = IntStream.range(0, 8)
                .mapToObj(i -> redeemRequest(token, "198.51.100." + i, "redelivered-" + i))
                .toList();

        List<RedeemOutcome> first = redemptions.redeemAll(poll).block(KAFKA);
        List<RedeemOutcome> second = redemptions.redeemAll(poll).block(KAFKA);

        assertThat(first).filteredOn(RedeemOutcome.Granted.class::isInstance).hasSize(1);
        assertThat(second).hasSize(8).allSatisfy(outcome -> assertThat(outcome.replayed())
                .isTrue());
        assertThat(second).filteredOn(RedeemOutcome.Granted.class::isInstance).hasSize(1);
        UUID tokenId = ((RedeemOutcome.Granted) first.stream()
                        .filter(RedeemOutcome.Granted.class::isInstance)
                        .findFirst()
                        .orElseThrow())
                .grant()
                .tokenId();
        assertThat(uses(tokenId)).containsExactly(0, 1);
    }

    @Test
    void pollsRacingForOneLinkOnSeveralInstancesGrantOnce() {
        String token = oneDownloadLink();
        List<List<RedeemRequest>> polls = IntStream.range(0, 8)
                .mapToObj(p -> IntStream.range(0, 8)
                        .mapToObj(i -> redeemRequest(token, "198.51.100." + (p * 8 + i), "racing-" + p + "-" + i))
                        .toList())
                .toList();

        List<RedeemOutcome> outcomes = Flux.fromIterable(polls)
                .flatMap(poll -> redemptions.redeemAll(poll).subscribeOn(Schedulers.boundedElastic()), 8)
                .flatMapIterable(list -> list)
                .collectList()
                .block(KAFKA);

        assertThat(outcomes).hasSize(64);
        assertThat(outcomes).filteredOn(RedeemOutcome.Granted.class::isInstance).hasSize(1);
        UUID tokenId = ((RedeemOutcome.Granted) outcomes.stream()
                        .filter(RedeemOutcome.Granted.class::isInstance)
                        .findFirst()
                        .orElseThrow())
                .grant()
                .tokenId();
        assertThat(uses(tokenId)).containsExactly(0, 1);
    }

    private static RedeemRequest redeemRequest(String token, String clientIp, String userAgent) {
        return new RedeemRequest(
                UUID.randomUUID(),
                TokenSecret.hashOf(token),
                null,
                null,
                clientIp,
                userAgent,
                "it-gateway",
                Instant.now());
    }

    private String oneDownloadLink() {
        String sku = unique("sku");
        productWithOneFile(sku, 10);
        return (String) issue(Map.of("customer_email", "race@example.com", "product", sku, "max_downloads", 1))
                .get("token");
    }
}
