package io.drawbridge.token.catalog.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PlatformChoiceTest {

    private static final UUID WIN = UUID.randomUUID();
    private static final UUID MAC = UUID.randomUUID();
    private static final UUID ANY = UUID.randomUUID();

    @Test
    void namedPlatformGetsItsBuild() {
        assertThat(ids(release(Map.of("windows", List.of(WIN), "macos", List.of(MAC))), Platform.MACOS))
                .containsExactly(MAC);
    }

    @Test
    void namedPlatformFallsBackToTheAnyBuild() {
        assertThat(ids(release(Map.of("windows", List.of(WIN), "any", List.of(ANY))), Platform.LINUX))
                .containsExactly(ANY);
    }

    @Test
    void platformWithoutBuildGetsNothing() {
        assertThat(PlatformChoice.choose(release(Map.of("windows", List.of(WIN))), Platform.LINUX))
                .isEmpty();
    }

    @Test
    void noPreferenceGetsTheAnyBuildElseEverything() {
        assertThat(ids(release(Map.of("windows", List.of(WIN), "any", List.of(ANY))), null))
                .containsExactly(ANY);
        assertThat(ids(release(Map.of("macos", List.of(MAC), "windows", List.of(WIN))), null))
                .containsExactly(WIN, MAC);
    }

    @Test
    void unknownPlatformKeysAndEmptyListsAreIgnored() {
        assertThat(PlatformChoice.choose(release(Map.of("beos", List.of(WIN), "linux", List.of())), null))
                .isEmpty();
    }

    private static List<UUID> ids(Release release, Platform platform) {
        return PlatformChoice.choose(release, platform).orElseThrow().stream()
                .map(PlatformChoice.Choice::fileId)
                .toList();
    }

    private static Release release(Map<String, List<UUID>> files) {
        return new Release("sku", "Product", UUID.randomUUID(), "1", null, files, Instant.now());
    }
}
