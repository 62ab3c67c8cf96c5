package io.drawbridge.audit.privacy.persistence;

import io.drawbridge.events.Topics;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An erasure as the trail saw it: the request and each owner's {@code CustomerErased} answer, read back from the
 * events themselves (the trail is the erasure's audit record, there is no second copy to drift from it).
 */
@Repository
public class ErasureReports {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final DatabaseClient database;

    ErasureReports(DatabaseClient database) {
        this.database = database;
    }

    /** One owner's answer. */
    public record Answer(String service, Map<String, Long> erased, Instant erasedAt) {}

    /**
     * @param requestedAt when the request reached the trail; null while it has not yet
     * @param answers each owner's answers, oldest first (an owner that got the request twice answers twice)
     */
    public record Report(UUID erasureId, Instant requestedAt, List<Answer> answers) {}

    /** The erasure {@code erasureId}; empty when the trail has seen nothing of it. */
    public Mono<Report> find(UUID erasureId) {
        return database.sql(
                        """
                        select event_type, occurred_at, payload::text as payload from audit_event
                        where topic = :topic and event_key = :key
                        order by occurred_at, recorded_at
                        """)
                .bind("topic", Topics.PRIVACY)
                .bind("key", erasureId.toString())
                .map(row -> new Row(
                        row.get("event_type", String.class),
                        row.get("occurred_at", OffsetDateTime.class).toInstant(),
                        JSON.readTree(row.get("payload", String.class))))
                .all()
                .collectList()
                .filter(rows -> !rows.isEmpty())
                .map(rows -> {
                    Instant requestedAt = null;
                    List<Answer> answers = new java.util.ArrayList<>();
                    for (Row row : rows) {
                        if ("CustomerErasureRequested".equals(row.type())) {
                            requestedAt = row.occurredAt();
                        } else if ("CustomerErased".equals(row.type())) {
                            answers.add(answer(row));
                        }
                    }
                    return new Report(erasureId, requestedAt, List.copyOf(answers));
                });
    }

    private static Answer answer(Row row) {
        Map<String, Long> erased = new LinkedHashMap<>();
        JsonNode counts = row.payload().path("erased");
        for (Map.Entry<String, JsonNode> count : counts.properties()) {
            erased.put(count.getKey(), count.getValue().asLong());
        }
        String erasedAt = row.payload().path("erasedAt").asString(null);
        return new Answer(
                row.payload().path("service").asString(""),
                erased,
                erasedAt == null ? row.occurredAt() : Instant.parse(erasedAt));
    }

    private record Row(String type, Instant occurredAt, JsonNode payload) {}
}
