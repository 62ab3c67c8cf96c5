package io.drawbridge.order.cursor;

import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * Where each scheduled pull got to (the newest Stripe event or Antistock update it has seen), so that the next
 * run asks only for what is new and a restart does not start from scratch.
 */
@Repository
public class SyncCursors {

    private final DatabaseClient db;

    public SyncCursors(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Optional<String>> get(String name) {
        return db.sql("SELECT position FROM sync_cursors WHERE name = :name")
                .bind("name", name)
                .map(row -> row.get("position", String.class))
                .one()
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty());
    }

    public Mono<Void> put(String name, String position) {
        return db.sql(
                        """
                        INSERT INTO sync_cursors (name, position) VALUES (:name, :position)
                        ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = now()
                        """)
                .bind("name", name)
                .bind("position", position)
                .fetch()
                .rowsUpdated()
                .then();
    }
}
