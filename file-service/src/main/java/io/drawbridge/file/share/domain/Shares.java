package io.drawbridge.file.share.domain;

import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import io.drawbridge.events.ShareChange;
import io.drawbridge.events.ShareChanged;
import io.drawbridge.file.config.FileProperties;
import io.drawbridge.file.share.config.ShareProperties;
import io.drawbridge.file.share.domain.ShareRefused.Reason;
import io.drawbridge.file.storage.Chunk;
import io.drawbridge.file.storage.ObjectChannel;
import io.drawbridge.file.storage.ObjectStore;
import io.drawbridge.platform.outbox.Outbox;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * One-time shares, whole: stored encrypted, described without being consumed, read (a text at once, a file through
 * a grant whose read counts when the file was delivered in full), locked after too many wrong passwords, and deleted
 * (object, then the row's secret parts) after the last read or at expiry. The one owner of a share's rules.
 */
@Service
public class Shares {

    private static final Logger log = LoggerFactory.getLogger(Shares.class);
    private static final String KEY_PREFIX = "shares/";
    private static final int READ_BUFFER = 64 * 1024;
    /** Bytes a broken-off response may have handed to its connection without the client receiving them. */
    private static final long IN_FLIGHT_ALLOWANCE = 256 * 1024;

    private final ShareLedger ledger;
    private final ObjectStore store;
    private final ShareCipher cipher;
    private final ShareProperties properties;
    private final Outbox outbox;
    private final TransactionalOperator tx;
    private final Clock clock;
    private final int partSize;

    public Shares(
            ShareLedger ledger,
            ObjectStore store,
            ShareCipher cipher,
            ShareProperties properties,
            FileProperties files,
            Outbox outbox,
            TransactionalOperator tx,
            Clock clock) {
        this.ledger = ledger;
        this.store = store;
        this.cipher = cipher;
        this.properties = properties;
        this.outbox = outbox;
        this.tx = tx;
        this.clock = clock;
        this.partSize = Math.toIntExact(files.partSize().toBytes());
    }

    // ---- sharing

    /** What a sharer asks for besides the content; nulls take the defaults. */
    public record Options(Long expiresInSeconds, Integer maxReads, String password) {}

    /** Content stored encrypted, not yet a share (no row, no link). */
    public record StoredContent(
            UUID id,
            String kind,
            String objectKey,
            byte[] dataKey,
            long size,
            String name,
            String contentType,
            String sha256) {}

    /** A new share: its link's token exists only here and in the answer. */
    public record Created(UUID id, String token, Instant expiresAt, int maxReads) {}

    /**
     * Encrypts {@code content} on its way into the bucket (streamed: a few segments and one part in memory). On any
     * failure the object is removed.
     */
    public Mono<StoredContent> store(String kind, String name, String contentType, Flux<DataBuffer> content) {
        UUID id = UUID.randomUUID();
        String key = KEY_PREFIX + id;
        long max = Share.TEXT.equals(kind)
                ? properties.maxTextSize().toBytes()
                : properties.maxFileSize().toBytes();
        return Mono.defer(() -> {
                    byte[] dataKey = ShareCipher.random(ShareCipher.KEY_BYTES);
                    Encryption encryption = new Encryption(ShareCipher.streaming(dataKey), id, max, kind, partSize);
                    Flux<Chunk> ciphertext = content.concatMap(encryption::encrypt, 32)
                            .concatWith(Mono.fromCallable(encryption::finish))
                            .doOnDiscard(DataBuffer.class, DataBufferUtils::release);
                    return store.write(key, "application/octet-stream", ciphertext)
                            .then(Mono.fromCallable(() -> new StoredContent(
                                    id, kind, key, dataKey, encryption.size, name, contentType, encryption.sha256())));
                })
                .onErrorResume(e -> store.remove(key).onErrorComplete().then(Mono.error(e)));
    }

    /** Makes stored content a share: key wrapped, row and ShareChanged(created) in one transaction. */
    public Mono<Created> create(StoredContent content, Options options) {
        return Mono.defer(() -> {
                    Instant now = clock.instant();
                    Duration ttl = options.expiresInSeconds() == null
                            ? properties.defaultExpiry()
                            : Duration.ofSeconds(options.expiresInSeconds());
                    if (ttl.compareTo(properties.minExpiry()) < 0 || ttl.compareTo(properties.maxExpiry()) > 0) {
                        return Mono.error(new ShareRefused(
                                Reason.INVALID,
                                "expires_in must be between "
                                        + properties.minExpiry().toSeconds() + " and "
                                        + properties.maxExpiry().toSeconds() + " seconds."));
                    }
                    int maxReads = options.maxReads() == null ? 1 : options.maxReads();
                    if (maxReads < 1 || maxReads > properties.maxReads()) {
                        return Mono.error(new ShareRefused(
                                Reason.INVALID, "max_reads must be between 1 and " + properties.maxReads() + "."));
                    }
                    String password =
                            options.password() == null || options.password().isEmpty() ? null : options.password();
                    ShareToken token = ShareToken.generate();
                    byte[] keySalt = ShareCipher.random(ShareCipher.SALT_BYTES);
                    byte[] passwordSalt = password == null ? null : ShareCipher.random(ShareCipher.SALT_BYTES);
                    return Mono.fromCallable(() -> cipher.linkKey(token, keySalt, password, passwordSalt))
                            .subscribeOn(Schedulers.boundedElastic())
                            .flatMap(linkKey -> {
                                Share share = new Share(
                                        content.id(),
                                        token.hash(),
                                        content.kind(),
                                        Share.ACTIVE,
                                        content.size(),
                                        content.objectKey(),
                                        ShareCipher.seal(
                                                cipher.metaKey(token, keySalt),
                                                new ShareMeta(content.name(), content.contentType(), content.sha256())
                                                        .encode(),
                                                content.id()),
                                        ShareCipher.seal(linkKey, content.dataKey(), content.id()),
                                        keySalt,
                                        passwordSalt,
                                        0,
                                        maxReads,
                                        0,
                                        0,
                                        now,
                                        now.plus(ttl));
                                return ledger.insert(share)
                                        .then(outbox.append(event(share, ShareChange.CREATED, maxReads)))
                                        .as(tx::transactional)
                                        .thenReturn(
                                                new Created(share.id(), token.value(), share.expiresAt(), maxReads));
                            });
                })
                .onErrorResume(
                        e -> store.remove(content.objectKey()).onErrorComplete().then(Mono.error(e)));
    }

    /** Removes content that never became a share (the request failed after the upload). */
    public Mono<Void> discard(StoredContent content) {
        return store.remove(content.objectKey());
    }

    // ---- reading

    /** What a share's page shows. Never consumes anything and needs no password. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record View(
            UUID id,
            String kind,
            String name,
            String contentType,
            long size,
            Instant expiresAt,
            int readsLeft,
            boolean passwordRequired,
            int triesLeft,
            boolean locked) {}

    public Mono<View> describe(String tokenText) {
        return active(tokenText).map(found -> {
            Share share = found.share();
            ShareMeta meta = meta(found.token(), share);
            return new View(
                    share.id(),
                    share.kind(),
                    meta.name(),
                    meta.contentType(),
                    share.size(),
                    share.expiresAt(),
                    share.readsLeft(),
                    share.guarded(),
                    Math.max(0, properties.passwordTries() - share.passwordFailures()),
                    locked(share));
        });
    }

    /** A read: the text itself (its read used), or a grant for the file (its read used once delivered in full). */
    public sealed interface Read permits TextRead, FileRead {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TextRead(String text, int readsLeft) implements Read {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record FileRead(
            UUID grantId, String grantKey, String name, String contentType, long size, String sha256, Instant expiresAt)
            implements Read {}

    public Mono<Read> read(String tokenText, String password) {
        return active(tokenText).flatMap(found -> unlock(found, password).flatMap(dataKey -> {
            Share share = found.share();
            if (Share.TEXT.equals(share.kind())) {
                return readText(share, dataKey);
            }
            return grant(found, dataKey);
        }));
    }

    private Mono<Read> readText(Share share, byte[] dataKey) {
        return decrypt(share.id(), share.objectKey(), share.size(), dataKey, 0, share.size())
                .reduce(new ByteArrayOutputStream(), (out, buffer) -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    out.writeBytes(bytes);
                    return out;
                })
                .map(out -> out.toString(StandardCharsets.UTF_8))
                .flatMap(text -> countRead(share).map(readsLeft -> (Read) new TextRead(text, readsLeft)));
    }

    private Mono<Read> grant(Found found, byte[] dataKey) {
        Share share = found.share();
        UUID grantId = UUID.randomUUID();
        byte[] grantKey = ShareCipher.random(ShareCipher.KEY_BYTES);
        ShareMeta meta = meta(found.token(), share);
        Instant expiresAt = min(clock.instant().plus(properties.grantTtl()), share.expiresAt());
        ShareGrant grant = new ShareGrant(
                grantId,
                share.id(),
                ShareCipher.seal(grantKey, dataKey, grantId),
                ShareCipher.seal(grantKey, meta.encode(), grantId),
                false,
                expiresAt);
        return ledger.insertGrant(grant)
                .thenReturn(new FileRead(
                        grantId,
                        Base64.getUrlEncoder().withoutPadding().encodeToString(grantKey),
                        meta.name(),
                        meta.contentType(),
                        share.size(),
                        meta.sha256(),
                        expiresAt));
    }

    /** The bytes {@code [start, end)} of a granted file, decrypted; the range's bytes are taken from the budget. */
    public record Content(
            String name, String contentType, String sha256, long size, long start, long end, Flux<DataBuffer> bytes) {}

    public Mono<Content> content(UUID grantId, String grantKeyText, Long start, Long end) {
        Instant now = clock.instant();
        return ledger.grant(grantId).switchIfEmpty(Mono.error(() -> gone())).flatMap(grant -> {
            byte[] grantKey = decodeKey(grantKeyText);
            byte[] dataKey;
            ShareMeta meta;
            try {
                dataKey = ShareCipher.open(grantKey, grant.wrappedKey(), grantId);
                meta = ShareMeta.decode(ShareCipher.open(grantKey, grant.sealedMeta(), grantId));
            } catch (GeneralSecurityException e) {
                return Mono.error(new ShareRefused(Reason.INVALID_TOKEN, "This download link is not valid."));
            }
            if (!grant.expiresAt().isAfter(now)) {
                return Mono.error(gone());
            }
            return ledger.byId(grant.shareId())
                    .filter(share -> Share.ACTIVE.equals(share.status())
                            && share.expiresAt().isAfter(now)
                            && share.objectKey() != null)
                    .switchIfEmpty(Mono.error(() -> gone()))
                    .flatMap(share -> {
                        long from = start == null ? 0 : start;
                        long to = end == null ? share.size() : end;
                        if (from < 0 || to > share.size() || from > to) {
                            return Mono.error(new ShareRefused(Reason.INVALID, "Range outside the file."));
                        }
                        long budget = share.size() * share.maxReads()
                                + Math.min(
                                        share.size(), properties.restartSlack().toBytes());
                        return ledger.reserveBytes(share.id(), to - from, budget)
                                .flatMap(reserved -> reserved
                                        ? Mono.just(new Content(
                                                meta.name(),
                                                meta.contentType(),
                                                meta.sha256(),
                                                share.size(),
                                                from,
                                                to,
                                                decrypt(
                                                        share.id(),
                                                        share.objectKey(),
                                                        share.size(),
                                                        dataKey,
                                                        from,
                                                        to)))
                                        : Mono.error(new ShareRefused(
                                                Reason.BUSY,
                                                "This share's bytes were already sent, or are being sent to"
                                                        + " another download.")));
                    });
        });
    }

    /**
     * What a response of a grant delivered: {@code [start, start + sent)} of {@code [start, end)}, all of it when
     * {@code complete}. Unsent bytes go back to the budget; once the grant delivered every byte, its read is used
     * (and a last read ends the share).
     */
    public Mono<Void> delivered(UUID grantId, long start, long end, long sent, boolean complete) {
        return ledger.grant(grantId).flatMap(grant -> {
            long unsent = Math.max(0, (end - start) - sent);
            long counted = complete ? end - start : Math.max(0, sent - IN_FLIGHT_ALLOWANCE);
            Mono<Void> giveBack = unsent > 0 ? ledger.returnBytes(grant.shareId(), unsent) : Mono.empty();
            return giveBack.then(ledger.byId(grant.shareId()))
                    .flatMap(share -> counted == 0
                            ? Mono.empty()
                            : ledger.delivered(grantId, start, start + counted, share.size())
                                    .filter(whole -> whole)
                                    .flatMap(whole -> countRead(share))
                                    // Its reads were used up meanwhile (another download of a share of several reads).
                                    .onErrorResume(ShareRefused.class, e -> Mono.empty())
                                    .then());
        });
    }

    // ---- the admin's view

    /**
     * A share as the admin list shows it: what it is and where it stands, never its name, type, content or token (a
     * prefix of the token's hash lets someone holding a link find its row: {@code sha256(token)} starts with it).
     */
    public record Listed(
            UUID id,
            String tokenHashPrefix,
            String kind,
            String status,
            long size,
            int maxReads,
            int readsLeft,
            boolean guarded,
            boolean locked,
            Instant createdAt,
            Instant expiresAt) {}

    public static final List<String> STATUSES = List.of(Share.ACTIVE, Share.BURNT, Share.EXPIRED, Share.DELETED);

    /** Newest first; {@code status} one of {@link #STATUSES}, or null for all. */
    public Mono<SharePage<Listed>> list(String status, int page, int size) {
        if (status != null && !STATUSES.contains(status)) {
            return Mono.error(new ShareRefused(Reason.INVALID, "status must be one of " + String.join(", ", STATUSES)));
        }
        if (page < 0 || size < 1 || size > 200) {
            return Mono.error(new ShareRefused(Reason.INVALID, "page must be 0 or more and size between 1 and 200"));
        }
        return ledger.list(status, page, size)
                .map(found -> new SharePage<>(
                        found.items().stream()
                                .map(share -> new Listed(
                                        share.id(),
                                        share.tokenHash().substring(0, 12),
                                        share.kind(),
                                        share.status(),
                                        share.size(),
                                        share.maxReads(),
                                        Share.ACTIVE.equals(share.status()) ? share.readsLeft() : 0,
                                        share.guarded(),
                                        Share.ACTIVE.equals(share.status()) && locked(share),
                                        share.createdAt(),
                                        share.expiresAt()))
                                .toList(),
                        found.page(),
                        found.size(),
                        found.total()));
    }

    /**
     * Deletes a share before its time (its data as after a last read: secret parts, then the object); true when this
     * call ended it, false when it had ended already. Empty when there is no such share.
     */
    public Mono<Boolean> delete(UUID id) {
        return ledger.byId(id)
                .flatMap(share -> Share.ACTIVE.equals(share.status())
                        ? end(share, Share.DELETED).thenReturn(true)
                        : Mono.just(false));
    }

    // ---- ending

    /** Ends shares whose time ran out and deletes objects a failed deletion left behind. */
    public Mono<Integer> sweep() {
        Instant now = clock.instant();
        Mono<Integer> expired = ledger.expired(now, 500)
                .concatMap(share -> end(share, Share.EXPIRED).thenReturn(1))
                .reduce(0, Integer::sum);
        Mono<Integer> leftovers = ledger.leftoverObjects(500)
                .concatMap(share -> removeObject(share).thenReturn(1))
                .reduce(0, Integer::sum);
        return expired.zipWith(leftovers, Integer::sum);
    }

    private Mono<Integer> countRead(Share share) {
        return ledger.countRead(share.id(), clock.instant())
                .switchIfEmpty(Mono.error(() -> gone()))
                .flatMap(readsUsed -> {
                    int readsLeft = share.maxReads() - readsUsed;
                    Mono<Void> read = outbox.append(event(share, ShareChange.READ, readsLeft))
                            .as(tx::transactional);
                    return readsLeft > 0
                            ? read.thenReturn(readsLeft)
                            : read.then(end(share, Share.BURNT)).thenReturn(0);
                });
    }

    /** Row first (secret parts gone, event), then the object; a failed deletion is retried by the sweep. */
    private Mono<Void> end(Share share, String status) {
        ShareChange change =
                switch (status) {
                    case Share.BURNT -> ShareChange.BURNT;
                    case Share.DELETED -> ShareChange.DELETED;
                    default -> ShareChange.EXPIRED;
                };
        return ledger.end(share.id(), status, clock.instant())
                .flatMap(ended -> ended ? outbox.append(event(share, change, 0)).thenReturn(true) : Mono.just(false))
                .as(tx::transactional)
                .filter(ended -> ended)
                .flatMap(ended -> removeObject(share));
    }

    private Mono<Void> removeObject(Share share) {
        if (share.objectKey() == null) {
            return Mono.empty();
        }
        return store.remove(share.objectKey())
                .then(ledger.objectDeleted(share.id()))
                .onErrorResume(e -> {
                    log.warn("Deleting share {}'s object failed, the sweep tries again: {}", share.id(), e.toString());
                    return Mono.empty();
                });
    }

    private record Found(ShareToken token, Share share) {}

    /** The readable share of a token; refusals for an invalid token, an ended or expired share. */
    private Mono<Found> active(String tokenText) {
        return Mono.defer(() -> {
            ShareToken token = ShareToken.parse(tokenText).orElse(null);
            if (token == null) {
                return Mono.error(invalidToken());
            }
            return ledger.byTokenHash(token.hash())
                    .switchIfEmpty(Mono.error(Shares::invalidToken))
                    .flatMap(share ->
                            share.readable(clock.instant()) ? Mono.just(new Found(token, share)) : Mono.error(gone()));
        });
    }

    /** The data key, after the password (if any) was right; every wrong one counts, and the last locks the share. */
    private Mono<byte[]> unlock(Found found, String password) {
        Share share = found.share();
        if (!share.guarded()) {
            return Mono.fromCallable(() -> open(cipher.linkKey(found.token(), share.keySalt(), null, null), share));
        }
        if (locked(share)) {
            return Mono.error(lockedRefusal());
        }
        if (password == null || password.isEmpty()) {
            return Mono.error(new ShareRefused(
                    Reason.WRONG_PASSWORD,
                    "This share needs its password.",
                    properties.passwordTries() - share.passwordFailures()));
        }
        int limit = properties.passwordTries();
        return ledger.takePasswordTry(share.id(), limit)
                .switchIfEmpty(Mono.error(Shares::lockedRefusal))
                .flatMap(failures -> Mono.fromCallable(() -> {
                            try {
                                return open(
                                        cipher.linkKey(found.token(), share.keySalt(), password, share.passwordSalt()),
                                        share);
                            } catch (WrongKey e) {
                                return null;
                            }
                        })
                        .subscribeOn(Schedulers.boundedElastic())
                        .flatMap(dataKey -> ledger.returnPasswordTry(share.id()).thenReturn(dataKey))
                        .switchIfEmpty(Mono.defer(() -> failures >= limit
                                ? outbox.append(event(share, ShareChange.LOCKED, share.readsLeft()))
                                        .as(tx::transactional)
                                        .then(Mono.error(lockedRefusal()))
                                : Mono.error(new ShareRefused(
                                        Reason.WRONG_PASSWORD, "That password is not right.", limit - failures)))));
    }

    private static byte[] open(byte[] linkKey, Share share) {
        try {
            return ShareCipher.open(linkKey, share.wrappedKey(), share.id());
        } catch (GeneralSecurityException e) {
            throw new WrongKey();
        }
    }

    /** The link key did not open the data key: a wrong password (the token itself was found by its hash). */
    private static final class WrongKey extends RuntimeException {
        WrongKey() {
            super("wrong key", null, false, false);
        }
    }

    private ShareMeta meta(ShareToken token, Share share) {
        try {
            return ShareMeta.decode(
                    ShareCipher.open(cipher.metaKey(token, share.keySalt()), share.sealedMeta(), share.id()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("A share's sealed name does not open with its own token", e);
        }
    }

    private boolean locked(Share share) {
        return share.guarded() && share.passwordFailures() >= properties.passwordTries();
    }

    /** Decrypts {@code [start, end)} of the plaintext, from the segment that holds {@code start} (blocking reads). */
    private Flux<DataBuffer> decrypt(UUID id, String objectKey, long size, byte[] dataKey, long start, long end) {
        AesGcmHkdfStreaming aead = ShareCipher.streaming(dataKey);
        long ciphertextSize = aead.expectedCiphertextSize(size);
        return Flux.<DataBuffer, Reader>generate(
                        () -> new Reader(
                                aead.newSeekableDecryptingChannel(
                                        new ObjectChannel(store, objectKey, ciphertextSize), ShareCipher.aad(id)),
                                start,
                                end),
                        (reader, sink) -> {
                            try {
                                DataBuffer next = reader.next();
                                if (next == null) {
                                    sink.complete();
                                } else {
                                    sink.next(next);
                                }
                            } catch (IOException | RuntimeException e) {
                                sink.error(new io.drawbridge.file.storage.StorageUnavailableException(
                                        "Reading share " + id + " failed: " + e, e));
                            }
                            return reader;
                        },
                        Reader::close)
                .subscribeOn(Schedulers.boundedElastic());
    }

    private static final class Reader {
        private final SeekableByteChannel channel;
        private long remaining;

        Reader(SeekableByteChannel channel, long start, long end) throws IOException {
            this.channel = channel;
            this.remaining = end - start;
            channel.position(start);
        }

        DataBuffer next() throws IOException {
            if (remaining <= 0) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(READ_BUFFER, remaining));
            while (buffer.hasRemaining()) {
                if (channel.read(buffer) < 0) {
                    throw new IOException("The share's object ended early");
                }
            }
            buffer.flip();
            remaining -= buffer.remaining();
            return DefaultDataBufferFactory.sharedInstance.wrap(buffer);
        }

        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                log.debug("Closing a share's object failed", e);
            }
        }
    }

    /** Plaintext in, ciphertext out, while counting, hashing and bounding the plaintext. */
    private static final class Encryption {
        private final ByteArrayOutputStream ciphertext = new ByteArrayOutputStream();
        private final WritableByteChannel channel;
        private final MessageDigest digest;
        private final long max;
        private final String kind;
        private long size;

        private final int partSize;

        Encryption(AesGcmHkdfStreaming aead, UUID id, long max, String kind, int partSize) {
            this.partSize = partSize;
            try {
                this.channel = aead.newEncryptingChannel(
                        new WritableByteChannel() {
                            @Override
                            public int write(ByteBuffer src) {
                                int n = src.remaining();
                                byte[] bytes = new byte[n];
                                src.get(bytes);
                                ciphertext.writeBytes(bytes);
                                return n;
                            }

                            @Override
                            public boolean isOpen() {
                                return true;
                            }

                            @Override
                            public void close() {}
                        },
                        ShareCipher.aad(id));
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("Share encryption is unavailable", e);
            }
            this.max = max;
            this.kind = kind;
        }

        /** Full parts of ciphertext (none until a part's worth is there); the plaintext buffer is released. */
        Flux<Chunk> encrypt(DataBuffer plaintext) {
            try {
                int n = plaintext.readableByteCount();
                size += n;
                if (size > max) {
                    return Flux.error(new ShareRefused(
                            Reason.TOO_LARGE, "A shared " + kind + " may have at most " + max + " bytes."));
                }
                ByteBuffer bytes = ByteBuffer.allocate(n);
                plaintext.read(bytes.array(), 0, n);
                digest.update(bytes.array(), 0, n);
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                if (ciphertext.size() < partSize) {
                    return Flux.empty();
                }
                byte[] all = ciphertext.toByteArray();
                ciphertext.reset();
                List<Chunk> parts = new ArrayList<>();
                int offset = 0;
                while (all.length - offset >= partSize) {
                    parts.add(new Chunk(Arrays.copyOfRange(all, offset, offset + partSize), partSize, false));
                    offset += partSize;
                }
                ciphertext.write(all, offset, all.length - offset);
                return Flux.fromIterable(parts);
            } catch (IOException e) {
                return Flux.error(new IllegalStateException("Encrypting a share failed", e));
            } finally {
                DataBufferUtils.release(plaintext);
            }
        }

        /** The last part: the rest of the ciphertext, with the final segment. */
        Chunk finish() throws IOException {
            if (size == 0) {
                throw new ShareRefused(Reason.EMPTY, "There is nothing to share: the " + kind + " is empty.");
            }
            channel.close();
            byte[] rest = ciphertext.toByteArray();
            ciphertext.reset();
            return new Chunk(rest, rest.length, true);
        }

        String sha256() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }

    private static byte[] decodeKey(String text) {
        try {
            byte[] key = Base64.getUrlDecoder().decode(text == null ? "" : text);
            if (key.length == ShareCipher.KEY_BYTES) {
                return key;
            }
        } catch (IllegalArgumentException e) {
            // falls through
        }
        throw new ShareRefused(Reason.INVALID_TOKEN, "This download link is not valid.");
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private ShareChanged event(Share share, ShareChange change, int readsLeft) {
        return new ShareChanged(
                share.id(), change, share.kind(), share.size(), readsLeft, share.guarded(), clock.instant());
    }

    private static ShareRefused invalidToken() {
        return new ShareRefused(Reason.INVALID_TOKEN, "This link is not valid.");
    }

    private static ShareRefused gone() {
        return new ShareRefused(Reason.GONE, "This share has been read or has expired.");
    }

    private static ShareRefused lockedRefusal() {
        return new ShareRefused(
                Reason.LOCKED, "Too many wrong passwords: this share is locked. It is kept until it expires.");
    }
}
