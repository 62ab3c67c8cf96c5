package io.drawbridge.file.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.events.Topics;
import io.drawbridge.file.storage.ObjectStore;
import io.drawbridge.file.storage.StorageUnavailableException;
import io.drawbridge.file.support.EventProbe;
import io.drawbridge.file.support.FileServiceTestSupport;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/**
 * Shares against the real PostgreSQL, S3 server and Kafka: what is stored is ciphertext, a read deletes the object
 * and the row's key material, a look-up never consumes, wrong passwords lock without deleting.
 */
class ShareIT extends FileServiceTestSupport {

    private static EventProbe shares;

    @BeforeAll
    static void probe() {
        shares = new EventProbe(endpoints().kafkaBootstrapServers(), Topics.SHARES);
    }

    @AfterAll
    static void closeProbe() {
        shares.close();
    }

    private WebTestClient service() {
        return web.mutate()
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + SERVICE_TOKEN)
                .build();
    }

    private JsonNode create(MultipartBodyBuilder body) {
        return service()
                .post()
                .uri("/internal/v1/shares")
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .bodyValue(body.build())
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
    }

    private WebTestClient.ResponseSpec post(String path, Object body) {
        return service().post().uri(path).bodyValue(body).exchange();
    }

    @Test
    void aTextIsStoredEncryptedReadOnceThenGoneFromBucketAndTable() {
        String secret = "api-key=sk_live_" + UUID.randomUUID();
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("text", secret);
        JsonNode created = create(body);
        UUID id = UUID.fromString(created.get("id").asString());
        String token = created.get("token").asString();
        assertThat(token).startsWith("sh_").hasSize(46);
        assertThat(created.get("max_reads").asInt()).isEqualTo(1);

        byte[] stored = object("shares/" + id);
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(secret);
        assertThat(column(id, "token_hash")).isNotEqualTo(token).hasSize(64);

        // Look-ups (the page, a scanner) never consume.
        for (int i = 0; i < 3; i++) {
            post("/internal/v1/shares/lookup", Map.of("token", token))
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .jsonPath("$.kind")
                    .isEqualTo("text")
                    .jsonPath("$.reads_left")
                    .isEqualTo(1);
        }

        post("/internal/v1/shares/read", Map.of("token", token))
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.text")
                .isEqualTo(secret);

        assertThat(objectKeys("shares/" + id)).isEmpty();
        assertThat(secretColumnsLeft(id)).isZero();
        post("/internal/v1/shares/read", Map.of("token", token))
                .expectStatus()
                .isEqualTo(410)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("share_gone");
        post("/internal/v1/shares/lookup", Map.of("token", token))
                .expectStatus()
                .isEqualTo(410);

        assertThat(shares.await(id.toString(), "ShareChanged").get("change").asString())
                .isEqualTo("created");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> shares.seen(id.toString(), "ShareChanged").size() >= 3);
        String events = shares.seen(id.toString(), "ShareChanged").toString();
        assertThat(events).contains("\"burnt\"").doesNotContain(secret).doesNotContain(token);
    }

    @Test
    void aFileIsReadThroughAGrantAndBurntOnlyWhenDeliveredInFull() throws Exception {
        byte[] content = new byte[300_000];
        new Random(7).nextBytes(content);
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("max_reads", "1");
        body.part("file", new ByteArrayResource(content))
                .filename("contract.pdf")
                .contentType(MediaType.APPLICATION_PDF);
        JsonNode created = create(body);
        UUID id = UUID.fromString(created.get("id").asString());
        String token = created.get("token").asString();

        JsonNode read = post("/internal/v1/shares/read", Map.of("token", token))
                .expectStatus()
                .isOk()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
        assertThat(read.get("name").asString()).isEqualTo("contract.pdf");
        assertThat(read.get("sha256").asString()).isEqualTo(sha256(content));
        String grant = read.get("grant_id").asString();
        String key = read.get("grant_key").asString();

        // A range from the middle decrypts from its segment on.
        byte[] middle = content(grant, key, "?start=100000&end=200000");
        assertThat(middle).isEqualTo(java.util.Arrays.copyOfRange(content, 100_000, 200_000));
        report(grant, 100_000, 200_000, 100_000, true);
        // A failed download (no bytes counted) does not burn it.
        report(grant, 0, 300_000, 0, false);
        assertThat(objectKeys("shares/" + id)).hasSize(1);

        byte[] whole = content(grant, key, "");
        assertThat(whole).isEqualTo(content);
        report(grant, 0, 300_000, 300_000, true);

        assertThat(objectKeys("shares/" + id)).isEmpty();
        assertThat(secretColumnsLeft(id)).isZero();
        post("/internal/v1/shares/lookup", Map.of("token", token))
                .expectStatus()
                .isEqualTo(410);
        service()
                .get()
                .uri("/internal/v1/shares/grants/" + grant + "/content")
                .header("X-Share-Grant-Key", key)
                .exchange()
                .expectStatus()
                .isEqualTo(410);
    }

    @Test
    void wrongPasswordsAreCountedAndTheFifthLocksTheShareWithoutDeletingIt() {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("text", "the vault code");
        body.part("password", "correct horse");
        JsonNode created = create(body);
        UUID id = UUID.fromString(created.get("id").asString());
        String token = created.get("token").asString();

        post("/internal/v1/shares/read", Map.of("token", token))
                .expectStatus()
                .isForbidden()
                .expectBody()
                .jsonPath("$.tries_left")
                .isEqualTo(5);
        for (int left = 4; left >= 1; left--) {
            post("/internal/v1/shares/read", Map.of("token", token, "password", "guess" + left))
                    .expectStatus()
                    .isForbidden()
                    .expectBody()
                    .jsonPath("$.error")
                    .isEqualTo("wrong_password")
                    .jsonPath("$.tries_left")
                    .isEqualTo(left);
        }
        post("/internal/v1/shares/read", Map.of("token", token, "password", "guess0"))
                .expectStatus()
                .isEqualTo(423);
        // Locked: even the right password is refused, and the share is kept.
        post("/internal/v1/shares/read", Map.of("token", token, "password", "correct horse"))
                .expectStatus()
                .isEqualTo(423)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("share_locked");
        assertThat(objectKeys("shares/" + id)).hasSize(1);
        assertThat(secretColumnsLeft(id)).isEqualTo(4);
        await().atMost(Duration.ofSeconds(20))
                .until(() ->
                        shares.seen(id.toString(), "ShareChanged").toString().contains("\"locked\""));
    }

    @Test
    void theRightPasswordReadsAndAnUnknownTokenIsInvalid() {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("text", "second secret");
        body.part("password", "pw");
        body.part("max_reads", "2");
        String token = create(body).get("token").asString();

        post("/internal/v1/shares/read", Map.of("token", token, "password", "pw"))
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.text")
                .isEqualTo("second secret")
                .jsonPath("$.reads_left")
                .isEqualTo(1);
        post("/internal/v1/shares/read", Map.of("token", "sh_" + "A".repeat(43)))
                .expectStatus()
                .isUnauthorized()
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("invalid_token");
    }

    @Test
    void anExpiredShareIsSweptWithinSeconds() {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("text", "short-lived");
        JsonNode created = create(body);
        UUID id = UUID.fromString(created.get("id").asString());
        db.sql("update share set expires_at = now() - interval '1 second' where id = :id")
                .bind("id", id)
                .fetch()
                .rowsUpdated()
                .block();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> objectKeys("shares/" + id).isEmpty());
        await().atMost(Duration.ofSeconds(5)).until(() -> secretColumnsLeft(id) == 0);
        assertThat(column(id, "status")).isEqualTo("expired");
    }

    @Test
    void theAdminListShowsNoNameOrContentAndDeletingEndsTheShareAtOnce() {
        String name = "contract-" + UUID.randomUUID() + ".pdf";
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("file", new ByteArrayResource("%PDF secret terms".getBytes(StandardCharsets.UTF_8)) {
                    @Override
                    public String getFilename() {
                        return name;
                    }
                })
                .contentType(MediaType.APPLICATION_PDF);
        body.part("password", "open sesame");
        body.part("max_reads", "3");
        JsonNode created = create(body);
        UUID id = UUID.fromString(created.get("id").asString());
        String token = created.get("token").asString();

        String listed = admin().get()
                .uri("/api/v1/shares?status=active&size=200")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        assertThat(listed).contains(id.toString()).doesNotContain(name).doesNotContain(token);
        admin().get()
                .uri("/api/v1/shares?status=active&size=200")
                .exchange()
                .expectBody()
                .jsonPath("$.items[?(@.id == '" + id + "')].reads_left")
                .isEqualTo(3)
                .jsonPath("$.items[?(@.id == '" + id + "')].password_protected")
                .isEqualTo(true)
                .jsonPath("$.items[?(@.id == '" + id + "')].token_hash_prefix")
                .isEqualTo(column(id, "token_hash").substring(0, 12))
                .jsonPath("$.items[?(@.id == '" + id + "')].kind")
                .isEqualTo("file");

        admin().delete()
                .uri("/api/v1/shares/{id}", id)
                .exchange()
                .expectStatus()
                .isNoContent();

        assertThat(objectKeys("shares/" + id)).isEmpty();
        assertThat(secretColumnsLeft(id)).isZero();
        assertThat(column(id, "status")).isEqualTo("deleted");
        post("/internal/v1/shares/lookup", Map.of("token", token))
                .expectStatus()
                .isEqualTo(410);
        admin().delete()
                .uri("/api/v1/shares/{id}", id)
                .exchange()
                .expectStatus()
                .isNoContent();
        admin().delete()
                .uri("/api/v1/shares/{id}", UUID.randomUUID())
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("share_not_found");
        admin().get()
                .uri("/api/v1/shares?status=bogus")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("validation_failed");
        await().atMost(Duration.ofSeconds(20))
                .until(() ->
                        shares.seen(id.toString(), "ShareChanged").toString().contains("\"deleted\""));
    }

    @Autowired
    ObjectStore store;

    /**
     * The lifecycle backstop against this build's S3 server: S3Proxy answers lifecycle rules 501 NotImplemented, so
     * the service must start all the same (it did: this test runs in it) and leave deletion to the sweep, which
     * {@link #anExpiredShareIsSweptWithinSeconds} shows. (A server with lifecycle rules, MinIO or AWS, cannot run here.)
     */
    @Test
    void aServerWithoutLifecycleRulesIsRefusedCleanlyAndTheServiceRunsOn() {
        StepVerifier.create(store.ensureExpiryRule("drawbridge-expired-shares", "shares/", 9))
                .expectErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(StorageUnavailableException.class)
                        .hasMessageContaining("NotImplemented"))
                .verify(Duration.ofSeconds(30));
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("text", "still works");
        assertThat(create(body).get("token").asString()).startsWith("sh_");
    }

    private byte[] content(String grant, String key, String query) {
        return service()
                .get()
                .uri("/internal/v1/shares/grants/" + grant + "/content" + query)
                .header("X-Share-Grant-Key", key)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(byte[].class)
                .returnResult()
                .getResponseBody();
    }

    private void report(String grant, long start, long end, long sent, boolean complete) {
        post(
                        "/internal/v1/shares/grants/" + grant + "/deliveries",
                        Map.of("start", start, "end", end, "sent", sent, "complete", complete))
                .expectStatus()
                .isNoContent();
    }

    private String column(UUID id, String column) {
        return db.sql("select " + column + "::text as v from share where id = :id")
                .bind("id", id)
                .map(row -> row.get("v", String.class))
                .one()
                .block();
    }

    /** How many of the row's secret parts are still there (sealed name, wrapped key, key salt, password salt). */
    private int secretColumnsLeft(UUID id) {
        return db.sql("select (sealed_meta is not null)::int + (wrapped_key is not null)::int"
                        + " + (key_salt is not null)::int + (password_salt is not null)::int as n,"
                        + " (select count(*) from share_grant where share_id = :id) as grants"
                        + " from share where id = :id")
                .bind("id", id)
                .map(row -> row.get("n", Integer.class)
                        + row.get("grants", Long.class).intValue())
                .one()
                .block();
    }

    private static byte[] object(String key) {
        try (var in = s3().getObject(io.minio.GetObjectArgs.builder()
                .bucket(endpoints().s3Bucket())
                .object(key)
                .build())) {
            return in.readAllBytes();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }
}
