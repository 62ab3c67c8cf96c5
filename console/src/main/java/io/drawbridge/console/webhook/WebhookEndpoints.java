package io.drawbridge.console.webhook;

import io.drawbridge.platform.web.ProblemException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Sellers' webhook endpoints: a URL, the events it wants, a signing secret shown once at creation and then kept
 * sealed (see {@link SecretSeal}). Deleting keeps the row (its deliveries stay in the log) but sends nothing more.
 */
@Service
public class WebhookEndpoints {

    private final DatabaseClient database;
    private final EndpointAddresses addresses;
    private final SecretSeal seal;
    private final Clock clock = Clock.systemUTC();

    public WebhookEndpoints(DatabaseClient database, WebhookProperties properties) {
        this.database = database;
        this.addresses = new EndpointAddresses(properties.allowHttp(), properties.allowPrivateAddresses());
        this.seal = properties.secretKey() == null || properties.secretKey().isBlank()
                ? null
                : SecretSeal.of(properties.secretKey());
    }

    /** The endpoint and its secret, returned once, by {@link #create}. */
    public record CreatedEndpoint(UUID id, String url, List<String> events, String secret, Instant createdAt) {

        @Override
        public String toString() {
            return "CreatedEndpoint[" + id + "]";
        }
    }

    public record EndpointView(
            UUID id,
            String url,
            String description,
            List<String> events,
            String secretHint,
            Instant createdAt,
            String createdBy,
            Instant disabledAt,
            String disabledReason,
            Instant failingSince) {
        public boolean enabled() {
            return disabledAt == null;
        }
    }

    /** What the sender needs to attempt a delivery: where, and the secret to sign with (opened only here). */
    record Target(UUID endpointId, URI url, String secret) {

        @Override
        public String toString() {
            return "Target[" + endpointId + "]";
        }
    }

    public Mono<CreatedEndpoint> create(String url, List<String> events, String description, String createdBy) {
        if (seal == null) {
            return Mono.error(new ProblemException(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "webhooks_unavailable",
                    "Webhooks are not configured: set DRAWBRIDGE_CONSOLE_WEBHOOK_KEY (base64 of 32 random bytes)."));
        }
        if (events == null || events.isEmpty() || !WebhookEvent.types().containsAll(events)) {
            return Mono.error(new ProblemException(
                    HttpStatus.BAD_REQUEST,
                    "validation_failed",
                    "events: one or more of " + WebhookEvent.types() + "."));
        }
        if (description != null && description.length() > 200) {
            return Mono.error(new ProblemException(
                    HttpStatus.BAD_REQUEST, "validation_failed", "description: at most 200 characters."));
        }
        URI uri;
        try {
            uri = addresses.parse(url);
        } catch (ProblemException e) {
            return Mono.error(e);
        }
        List<String> distinct = List.copyOf(new LinkedHashSet<>(events));
        return addresses.check(uri).flatMap(checked -> {
            UUID id = UUID.randomUUID();
            String secret = WebhookSignature.newSecret();
            Instant now = clock.instant();
            return database.sql("insert into webhook_endpoint (id, url, description, events, secret_sealed,"
                            + " secret_hint, created_at, created_by) values (:id, :url, :description, :events,"
                            + " :sealed, :hint, :now, :by)")
                    .bind("id", id)
                    .bind("url", checked.toString())
                    .bind("description", description == null ? "" : description.trim())
                    .bind("events", distinct.toArray(String[]::new))
                    .bind("sealed", seal.seal(id, secret))
                    .bind("hint", secret.substring(0, WebhookSignature.SECRET_PREFIX.length() + 4) + "…")
                    .bind("now", now)
                    .bind("by", createdBy)
                    .fetch()
                    .rowsUpdated()
                    .thenReturn(new CreatedEndpoint(id, checked.toString(), distinct, secret, now));
        });
    }

    /** Endpoints not deleted, newest first. */
    public Mono<List<EndpointView>> list() {
        return database.sql("select * from webhook_endpoint where deleted_at is null order by created_at desc")
                .map(row -> new EndpointView(
                        row.get("id", UUID.class),
                        row.get("url", String.class),
                        row.get("description", String.class),
                        List.of(row.get("events", String[].class)),
                        row.get("secret_hint", String.class),
                        row.get("created_at", Instant.class),
                        row.get("created_by", String.class),
                        row.get("disabled_at", Instant.class),
                        row.get("disabled_reason", String.class),
                        row.get("failing_since", Instant.class)))
                .all()
                .collectList();
    }

    /** Deletes (nothing more is sent to it); 404 {@code webhook_endpoint_not_found} for an unknown or deleted one. */
    public Mono<Void> delete(UUID id) {
        return database.sql("update webhook_endpoint set deleted_at = :now where id = :id and deleted_at is null")
                .bind("now", clock.instant())
                .bind("id", id)
                .fetch()
                .rowsUpdated()
                .flatMap(rows -> rows > 0 ? Mono.<Void>empty() : Mono.error(notFound(id)));
    }

    /** Enables a disabled endpoint again, its failure streak forgotten; deliveries still pending resume. */
    public Mono<Void> enable(UUID id) {
        return database.sql("update webhook_endpoint set disabled_at = null, disabled_reason = null, failing_since ="
                        + " null where id = :id and deleted_at is null")
                .bind("id", id)
                .fetch()
                .rowsUpdated()
                .flatMap(rows -> rows > 0 ? Mono.<Void>empty() : Mono.error(notFound(id)));
    }

    /** The endpoint's address, checked again now, and its opened secret. */
    Mono<Target> target(UUID endpointId, String url, byte[] sealed) {
        if (seal == null) {
            return Mono.error(new IllegalStateException("no webhook secret key configured"));
        }
        return addresses.check(URI.create(url)).map(uri -> new Target(endpointId, uri, seal.open(endpointId, sealed)));
    }

    /** The host only, for the action log: a URL's path or query may carry the receiver's token. */
    public static String host(String url) {
        try {
            return URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return "?";
        }
    }

    static ProblemException notFound(UUID id) {
        return new ProblemException(
                HttpStatus.NOT_FOUND, "webhook_endpoint_not_found", "No webhook endpoint " + id + ".");
    }
}
