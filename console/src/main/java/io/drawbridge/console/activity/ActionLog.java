package io.drawbridge.console.activity;

import io.drawbridge.events.ConsoleActionRecorded;
import io.drawbridge.platform.outbox.Outbox;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Who did what in the console: every sign-in, failed sign-in, issued, revoked or batch of links, upload, release and
 * API key, with the signed-in user's name. Never a token, key or password: targets are ids, names and order ids. Each
 * action is kept here (the console's audit page, searchable at once) and, in the same transaction, put in the outbox
 * as {@link ConsoleActionRecorded} on {@code console.v1}, so audit-service's trail holds it with every other event.
 */
@Component
public class ActionLog {

    private final DatabaseClient database;
    private final Outbox outbox;
    private final TransactionalOperator transactions;
    private final Clock clock;

    public ActionLog(DatabaseClient database, Outbox outbox, ReactiveTransactionManager transactions) {
        this.database = database;
        this.outbox = outbox;
        this.transactions = TransactionalOperator.create(transactions);
        this.clock = Clock.systemUTC();
    }

    public Mono<Void> record(String actor, String action, String target, String detail) {
        Instant now = clock.instant();
        ConsoleActionRecorded event = new ConsoleActionRecorded(
                UUID.randomUUID(), actor, action, blankToNull(target), blankToNull(detail), now);
        return database.sql(
                        "insert into console_action (occurred_at, actor, action, target, detail) values (:at, :actor,"
                                + " :action, :target, :detail)")
                .bind("at", now)
                .bind("actor", actor)
                .bind("action", action)
                .bind("target", target == null ? "" : target)
                .bind("detail", detail == null ? "" : detail)
                .fetch()
                .rowsUpdated()
                .then(outbox.append(event))
                .as(transactions::transactional);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** Newest first; {@code actor}/{@code action} match exactly when given, {@code q} anywhere in target or detail. */
    public Mono<ActionPage> search(ActionQuery query) {
        String where = " where (:actor = '' or actor = :actor) and (:action = '' or action = :action)"
                + " and (:q = '' or target ilike '%' || :q || '%' or detail ilike '%' || :q || '%')";
        Mono<Long> total = bind(database.sql("select count(*) as n from console_action" + where), query)
                .map(row -> row.get("n", Long.class))
                .one();
        Mono<List<Action>> items = bind(
                        database.sql("select * from console_action" + where
                                + " order by occurred_at desc, id desc limit :limit offset :offset"),
                        query)
                .bind("limit", query.size())
                .bind("offset", (long) query.page() * query.size())
                .map(row -> new Action(
                        row.get("id", Long.class),
                        row.get("occurred_at", Instant.class),
                        row.get("actor", String.class),
                        row.get("action", String.class),
                        row.get("target", String.class),
                        row.get("detail", String.class)))
                .all()
                .collectList();
        return Mono.zip(items, total)
                .map(both -> new ActionPage(both.getT1(), query.page(), query.size(), both.getT2()));
    }

    /** Every matching row, oldest first, for the CSV export (streamed, not collected). */
    public Flux<Action> export(ActionQuery query) {
        String sql = "select * from console_action where (:actor = '' or actor = :actor) and (:action = '' or action"
                + " = :action) and (:q = '' or target ilike '%' || :q || '%' or detail ilike '%' || :q || '%')"
                + " order by occurred_at, id";
        return bind(database.sql(sql), query)
                .map(row -> new Action(
                        row.get("id", Long.class),
                        row.get("occurred_at", Instant.class),
                        row.get("actor", String.class),
                        row.get("action", String.class),
                        row.get("target", String.class),
                        row.get("detail", String.class)))
                .all();
    }

    private static DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec, ActionQuery query) {
        return spec.bind("actor", query.actor()).bind("action", query.action()).bind("q", query.q());
    }

    public record Action(long id, Instant occurredAt, String actor, String action, String target, String detail) {}

    public record ActionQuery(String actor, String action, String q, int page, int size) {
        public ActionQuery {
            actor = actor == null ? "" : actor.trim();
            action = action == null ? "" : action.trim();
            q = q == null ? "" : q.trim();
            page = Math.max(0, page);
            size = Math.min(Math.max(1, size), 200);
        }
    }

    public record ActionPage(List<Action> items, int page, int size, long total) {
        public long pages() {
            return (total + size - 1) / size;
        }
    }
}
