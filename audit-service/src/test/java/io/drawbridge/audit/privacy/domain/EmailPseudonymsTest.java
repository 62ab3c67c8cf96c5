package io.drawbridge.audit.privacy.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EmailPseudonymsTest {

    private final EmailPseudonyms pseudonyms = new EmailPseudonyms("test-salt");

    @Test
    void aLabelIsRecognisedButAnAddressThatStartsLikeOneIsNot() {
        String label = pseudonyms.label("Erased-Joe@Example.com");

        assertThat(label).matches("erased-[0-9a-f]{16}");
        assertThat(pseudonyms.label(" erased-joe@example.com ")).isEqualTo(label);
        assertThat(EmailPseudonyms.isLabel(label)).isTrue();
        assertThat(EmailPseudonyms.isLabel("erased-joe@example.com")).isFalse();
        assertThat(EmailPseudonyms.isLabel(null)).isFalse();
    }
}
