package io.drawbridge.gateway.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.drawbridge.gateway.grant.domain.ByteRange;
import io.drawbridge.gateway.grant.domain.FileNames;
import io.drawbridge.gateway.grant.domain.GrantSigner;
import io.drawbridge.gateway.grant.domain.RangeRequest;
import io.drawbridge.gateway.grant.storage.ZipLayout;
import io.drawbridge.gateway.redeem.domain.LinkToken;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Fuzz targets for the parsers a request from the internet reaches before anything else checks it: the Range header,
 * file names (Content-Disposition and ZIP entry names), the link token in {@code /d/{token}} and the signed grant in
 * {@code /dl/{grant}}. Each states what must hold for every input: no exception, and the parser's promise.
 *
 * <p>In a normal build they run as regression tests over the inputs committed under {@code
 * src/test/resources/io/drawbridge/gateway/fuzz/PublicInputFuzzTestInputs/<target>/} (every crash found becomes one).
 * Fuzzing for real, one target at a time: {@code JAZZER_FUZZ=1 ./mvnw -pl download-gateway test
 * -Dtest=PublicInputFuzzTest#rangeHeader} (CI does each for a few seconds, {@code bin/fuzz}).
 */
class PublicInputFuzzTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final GrantSigner SIGNER =
            new GrantSigner("fuzz-grant-secret-0123456789abcdef0123456789", true, CLOCK);

    @FuzzTest(maxDuration = "10s")
    void rangeHeader(FuzzedDataProvider data) {
        long size = data.consumeLong(0, 1L << 50);
        String header = data.consumeRemainingAsString();

        RangeRequest.Decision decision = RangeRequest.decide(header, size);

        if (decision.unsatisfiable()) {
            assertThat(decision.range()).isNull();
            return;
        }
        ByteRange range = decision.range();
        assertThat(range.start()).isBetween(0L, size);
        assertThat(range.length()).isBetween(size == 0 ? 0L : 1L, size - range.start());
    }

    @FuzzTest(maxDuration = "10s")
    void fileNameAndContentDisposition(FuzzedDataProvider data) {
        String name = data.consumeRemainingAsString();

        String safe = FileNames.safe(name);
        String header = FileNames.contentDisposition(name);

        assertThat(safe).isNotEmpty().doesNotContain("/", "\\", ":").isNotIn(".", "..");
        assertThat(safe.codePoints()).noneMatch(cp -> cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0));
        assertThat(safe.codePointCount(0, safe.length())).isLessThanOrEqualTo(200);
        assertThat(FileNames.safe(safe)).as("a safe name is its own safe name").isEqualTo(safe);
        // A header value: printable ASCII only, and the quoted name cannot end the quotes early.
        assertThat(header.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
        String quoted = header.substring("attachment; filename=\"".length(), header.indexOf("\"; filename*=UTF-8''"));
        assertThat(quoted).doesNotContain("\"", "\\");
    }

    @FuzzTest(maxDuration = "10s")
    void zipEntryNames(FuzzedDataProvider data) {
        List<ZipLayout.Entry> entries = new ArrayList<>();
        int count = data.consumeInt(1, 12);
        for (int i = 0; i < count; i++) {
            entries.add(new ZipLayout.Entry(
                    data.consumeString(80), "files/" + i, data.consumeLong(0, 1 << 20), data.consumeInt(), "0"));
        }

        ZipLayout layout = ZipLayout.of(entries);

        Set<String> keys = new HashSet<>();
        for (ZipLayout.Entry entry : layout.entries()) {
            assertThat(entry.name()).doesNotContain("/", "\\", ":").isNotIn(".", "..");
            assertThat(keys.add(FileNames.collisionKey(entry.name())))
                    .as("%s is unique also on a case-insensitive file system", entry.name())
                    .isTrue();
        }
        assertThat(layout.length()).isPositive();
    }

    @FuzzTest(maxDuration = "10s")
    void linkTokenPath(FuzzedDataProvider data) {
        String raw = data.consumeRemainingAsString();

        Optional<LinkToken> token = LinkToken.parse(raw);

        token.ifPresent(parsed -> {
            assertThat(parsed.value()).isEqualTo(raw).startsWith("dl_");
            assertThat(parsed.hash()).matches("[0-9a-f]{64}");
            assertThat(parsed.toString()).doesNotContain(raw);
        });
    }

    @FuzzTest(maxDuration = "10s")
    void grantPath(FuzzedDataProvider data) {
        String clientIp = data.consumeString(45);
        String grant = data.consumeRemainingAsString();

        GrantSigner.Verification verification = SIGNER.verify(grant, clientIp);

        // Nothing but a grant this secret signed is ever accepted.
        assertThat(verification.status()).isEqualTo(GrantSigner.Status.INVALID);
        assertThat(verification.grantId()).isEmpty();
    }
}
