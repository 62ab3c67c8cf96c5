package io.drawbridge.file.share.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.GeneralSecurityException;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What the table keeps (token hash, wrapped key, salts) opens nothing without the link, and the password counts. */
class ShareCipherTest {

    private final ShareCipher cipher = new ShareCipher(1024, 1);
    private final UUID id = UUID.randomUUID();
    private final byte[] salt = ShareCipher.random(ShareCipher.SALT_BYTES);
    private final byte[] dataKey = ShareCipher.random(ShareCipher.KEY_BYTES);

    @Test
    void theDataKeyOpensOnlyWithTheLinksOwnToken() throws Exception {
        ShareToken token = ShareToken.generate();
        byte[] wrapped = ShareCipher.seal(cipher.linkKey(token, salt, null, null), dataKey, id);

        assertThat(ShareCipher.open(cipher.linkKey(token, salt, null, null), wrapped, id))
                .isEqualTo(dataKey);
        assertThatThrownBy(() -> ShareCipher.open(cipher.linkKey(ShareToken.generate(), salt, null, null), wrapped, id))
                .isInstanceOf(GeneralSecurityException.class);
        assertThatThrownBy(() -> ShareCipher.open(cipher.linkKey(token, salt, null, null), wrapped, UUID.randomUUID()))
                .as("bound to its share")
                .isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void withAPasswordTheTokenAloneOrAWrongPasswordOpensNothing() throws Exception {
        ShareToken token = ShareToken.generate();
        byte[] passwordSalt = ShareCipher.random(ShareCipher.SALT_BYTES);
        byte[] wrapped = ShareCipher.seal(cipher.linkKey(token, salt, "open sesame", passwordSalt), dataKey, id);

        assertThat(ShareCipher.open(cipher.linkKey(token, salt, "open sesame", passwordSalt), wrapped, id))
                .isEqualTo(dataKey);
        assertThatThrownBy(() -> ShareCipher.open(cipher.linkKey(token, salt, null, null), wrapped, id))
                .isInstanceOf(GeneralSecurityException.class);
        assertThatThrownBy(
                        () -> ShareCipher.open(cipher.linkKey(token, salt, "open sesame!", passwordSalt), wrapped, id))
                .isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void theStoredHashIsNotTheTokenAndOnlyWellFormedTokensParse() {
        ShareToken token = ShareToken.generate();
        assertThat(token.value()).startsWith("sh_").hasSize(46);
        assertThat(token.hash()).hasSize(64).doesNotContain(token.value().substring(3));
        assertThat(ShareToken.parse(token.value()))
                .get()
                .extracting(ShareToken::hash)
                .isEqualTo(token.hash());
        assertThat(ShareToken.parse("dl_" + token.value().substring(3))).isEmpty();
        assertThat(ShareToken.parse(token.value() + "A")).isEmpty();
        assertThat(ShareToken.parse("sh_" + "!".repeat(43))).isEmpty();
        assertThat(token.toString()).isEqualTo("sh_****");
    }
}
