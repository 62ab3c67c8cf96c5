package io.drawbridge.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * Someone did something in the seller's console (or with an API key on the console's own API): signed in, failed to,
 * issued or revoked links, uploaded, published, made or revoked an API key. It carries who ({@code actor}: a console
 * user name, or {@code api-key:<name> (<id>)}), never a token, key or password: {@code target} and {@code detail} are
 * ids, names and order ids. audit-service keeps it in the trail like every event.
 *
 * @param action a dotted code, e.g. {@code link.issued}, {@code sign_in.failed}, {@code api_key.created}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConsoleActionRecorded(
        UUID actionId, String actor, String action, String target, String detail, Instant occurredAt) implements Event {

    /** One actor's actions stay in order. */
    @Override
    public String key() {
        return actor;
    }
}
