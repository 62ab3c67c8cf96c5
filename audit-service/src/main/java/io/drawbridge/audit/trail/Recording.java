package io.drawbridge.audit.trail;

import java.util.List;

/**
 * What recording one event did.
 *
 * @param stored false when the event had been recorded before (a redelivery)
 * @param downloadOutcomes outcomes download log rows entered because of it ({@code completed}, {@code failed},
 *     {@code denied}), for the business counters
 */
public record Recording(boolean stored, List<String> downloadOutcomes) {

    public Recording {
        downloadOutcomes = List.copyOf(downloadOutcomes);
    }

    static Recording duplicate() {
        return new Recording(false, List.of());
    }
}
