package io.drawbridge.file.share.domain;

import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import com.google.crypto.tink.subtle.AesGcmJce;
import com.google.crypto.tink.subtle.Hkdf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.UUID;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * The keys of a share, so that a dump of the database and the bucket together reads nothing.
 *
 * <ul>
 *   <li>Every share's bytes are encrypted with its own random 256-bit data key, in Tink's streaming AEAD
 *       (AES-256-GCM-HKDF, 64 KiB segments): decryption streams, and any byte range decrypts from its segment on.
 *   <li>The data key is stored only wrapped (AES-256-GCM, the share id as associated data) by the <em>link key</em>:
 *       HKDF-SHA256 of the token's 256 bits, and with a password also of Argon2id(password); the token exists only in
 *       the link, its SHA-256 in the table, the password nowhere.
 *   <li>The name, type and SHA-256 of a file are sealed with a second key from the token alone (the page shows them
 *       before the password is given).
 *   <li>A download grant re-wraps the data key with a fresh random key that lives only in the grant's URL.
 * </ul>
 */
public final class ShareCipher {

    static final int KEY_BYTES = 32;
    static final int SALT_BYTES = 16;
    /** Ciphertext segment size; plaintext segments are 16 bytes (the GCM tag) shorter. */
    static final int SEGMENT_BYTES = 64 * 1024;

    private static final byte[] LINK_INFO = "drawbridge share link key v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] META_INFO = "drawbridge share meta key v1".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int argonMemoryKib;
    private final int argonIterations;

    /** Argon2id cost; OWASP's minimum is 19 MiB and 2 passes. */
    public ShareCipher(int argonMemoryKib, int argonIterations) {
        this.argonMemoryKib = argonMemoryKib;
        this.argonIterations = argonIterations;
    }

    static byte[] random(int bytes) {
        byte[] out = new byte[bytes];
        RANDOM.nextBytes(out);
        return out;
    }

    /** The streaming AEAD of a data key. */
    public static AesGcmHkdfStreaming streaming(byte[] dataKey) {
        try {
            return new AesGcmHkdfStreaming(dataKey, "HmacSha256", KEY_BYTES, SEGMENT_BYTES, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM-HKDF streaming is unavailable", e);
        }
    }

    /** The associated data that binds ciphertext and wrapped keys to one share (or grant). */
    public static byte[] aad(UUID id) {
        return ByteBuffer.allocate(16)
                .putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits())
                .array();
    }

    /** The link key: HKDF of the token's bits, and of Argon2id(password) when there is a password (slow: off-loop). */
    byte[] linkKey(ShareToken token, byte[] salt, String password, byte[] passwordSalt) {
        byte[] ikm = token.secret();
        if (passwordSalt != null) {
            byte[] stretched = argon2id(password == null ? "" : password, passwordSalt);
            ikm = ByteBuffer.allocate(ikm.length + stretched.length)
                    .put(ikm)
                    .put(stretched)
                    .array();
        }
        return hkdf(ikm, salt, LINK_INFO);
    }

    byte[] metaKey(ShareToken token, byte[] salt) {
        return hkdf(token.secret(), salt, META_INFO);
    }

    private byte[] argon2id(String password, byte[] salt) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt)
                .withMemoryAsKB(argonMemoryKib)
                .withIterations(argonIterations)
                .withParallelism(1)
                .build());
        byte[] out = new byte[KEY_BYTES];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }

    private static byte[] hkdf(byte[] ikm, byte[] salt, byte[] info) {
        try {
            return Hkdf.computeHkdf("HMACSHA256", ikm, salt, info, KEY_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HKDF-SHA256 is unavailable", e);
        }
    }

    /** {@code secret} sealed with {@code key} (AES-256-GCM, random nonce), bound to {@code id}. */
    static byte[] seal(byte[] key, byte[] secret, UUID id) {
        try {
            return new AesGcmJce(key).encrypt(secret, aad(id));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /** What {@link #seal} sealed; throws {@link GeneralSecurityException} for a wrong key (a wrong password). */
    static byte[] open(byte[] key, byte[] sealed, UUID id) throws GeneralSecurityException {
        return new AesGcmJce(key).decrypt(sealed, aad(id));
    }
}
