package io.drawbridge.console.webhook;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals endpoints' signing secrets for the database: AES-256-GCM under a key from the environment, a random 96-bit
 * nonce per secret, the endpoint's id as associated data (a sealed secret copied onto another endpoint's row does not
 * open). Stored as {@code 1 || nonce || ciphertext+tag}; the leading version leaves room for a key rotation. A dump of
 * the database alone cannot sign a webhook.
 */
final class SecretSeal {

    private static final byte VERSION = 1;
    private static final int NONCE = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;

    private SecretSeal(SecretKey key) {
        this.key = key;
    }

    /** The seal for a base64 (or base64url) key of 32 bytes; throws {@link IllegalArgumentException} for any other. */
    static SecretSeal of(String base64Key) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder()
                    .decode(base64Key.trim().replace('+', '-').replace('/', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("drawbridge.console.webhooks.secret-key is not base64");
        }
        if (raw.length != 32) {
            throw new IllegalArgumentException("drawbridge.console.webhooks.secret-key must be 32 bytes (base64)");
        }
        return new SecretSeal(new SecretKeySpec(raw, "AES"));
    }

    byte[] seal(UUID endpointId, String secret) {
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        byte[] sealed = run(Cipher.ENCRYPT_MODE, endpointId, nonce, secret.getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.allocate(1 + NONCE + sealed.length)
                .put(VERSION)
                .put(nonce)
                .put(sealed)
                .array();
    }

    String open(UUID endpointId, byte[] stored) {
        if (stored.length < 1 + NONCE + 16 || stored[0] != VERSION) {
            throw new IllegalStateException(
                    "webhook secret of endpoint " + endpointId + " is not sealed by this build");
        }
        byte[] nonce = java.util.Arrays.copyOfRange(stored, 1, 1 + NONCE);
        byte[] sealed = java.util.Arrays.copyOfRange(stored, 1 + NONCE, stored.length);
        return new String(run(Cipher.DECRYPT_MODE, endpointId, nonce, sealed), StandardCharsets.UTF_8);
    }

    private byte[] run(int mode, UUID endpointId, byte[] nonce, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(endpointId.toString().getBytes(StandardCharsets.US_ASCII));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            // Never the secret or the key in the message: only which endpoint.
            throw new IllegalStateException("cannot open the webhook secret of endpoint " + endpointId, e);
        }
    }
}
