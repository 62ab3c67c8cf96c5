package io.drawbridge.token.catalog.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Which files of a release a customer gets for a platform. A named platform gets its own build, or the
 * {@code any} build when there is none. No preference (or {@code any}) gets the {@code any} build, else the only
 * platform's build, else every file of the release together (the gateway ZIPs them).
 */
public final class PlatformChoice {

    /** A file chosen for delivery and the platform key it was listed under. */
    public record Choice(UUID fileId, String platform) {}

    private PlatformChoice() {}

    /** The files for {@code requested} (null = no preference); empty when the release has nothing for it. */
    public static Optional<List<Choice>> choose(Release release, Platform requested) {
        Map<String, List<UUID>> files = nonEmpty(release.files());
        if (files.isEmpty()) {
            return Optional.empty();
        }
        if (requested != null && requested != Platform.ANY) {
            if (files.containsKey(requested.wire())) {
                return Optional.of(listed(requested.wire(), files));
            }
            if (files.containsKey(Platform.ANY.wire())) {
                return Optional.of(listed(Platform.ANY.wire(), files));
            }
            return Optional.empty();
        }
        if (files.containsKey(Platform.ANY.wire())) {
            return Optional.of(listed(Platform.ANY.wire(), files));
        }
        List<Choice> all = new ArrayList<>();
        for (Platform platform : Platform.values()) {
            if (files.containsKey(platform.wire())) {
                for (Choice choice : listed(platform.wire(), files)) {
                    if (all.stream().noneMatch(c -> c.fileId().equals(choice.fileId()))) {
                        all.add(choice);
                    }
                }
            }
        }
        return all.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(all));
    }

    /** Whether a customer asking for {@code requested} would get anything from this release. */
    public static boolean offers(Release release, Platform requested) {
        return choose(release, requested).isPresent();
    }

    private static List<Choice> listed(String platform, Map<String, List<UUID>> files) {
        return files.get(platform).stream()
                .distinct()
                .map(id -> new Choice(id, platform))
                .toList();
    }

    private static Map<String, List<UUID>> nonEmpty(Map<String, List<UUID>> files) {
        Map<String, List<UUID>> result = new LinkedHashMap<>();
        files.forEach((platform, ids) -> {
            Optional<Platform> known = Platform.parse(platform);
            if (known.isPresent() && ids != null && !ids.isEmpty()) {
                result.put(known.get().wire(), ids);
            }
        });
        return result;
    }
}
