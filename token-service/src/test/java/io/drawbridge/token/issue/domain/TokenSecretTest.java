package io.drawbridge.token.issue.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenSecretTest {

    @Test
    void tokenIs256RandomBitsInBase64UrlWithPrefix() {
        TokenSecret secret = TokenSecret.generate();

        assertThat(secret.plaintext()).matches("dl_[A-Za-z0-9_-]{43}");
        assertThat(Base64.getUrlDecoder().decode(secret.plaintext().substring(3)))
                .hasSize(32);
    }

    @Test
    void tokensDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertThat(seen.add(TokenSecret.generate().plaintext())).isTrue();
        }
    }

    @Test
    void hashIsLowercaseHexSha256OfTheTokenString() {
        assertThat(TokenSecret.hashOf("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        TokenSecret secret = TokenSecret.generate();
        assertThat(secret.hash()).isEqualTo(TokenSecret.hashOf(secret.plaintext()));
        assertThat(TokenSecret.isWellFormedHash(secret.hash())).isTrue();
        assertThat(TokenSecret.isWellFormedHash(secret.hash().toUpperCase())).isFalse();
    }

    @Test
    void toStringNeverShowsThePlaintext() {
        TokenSecret secret = TokenSecret.generate();

        assertThat(secret.toString()).doesNotContain(secret.plaintext().substring(3));
        assertThat(new IssuedToken(null, secret, "link", "e", null, null, 1).toString())
                .doesNotContain(secret.plaintext().substring(3));
    }
}
