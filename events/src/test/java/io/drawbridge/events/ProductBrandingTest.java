package io.drawbridge.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ProductBrandingTest {

    @Test
    void contrastRatioMatchesWcagsReferenceValues() {
        assertThat(ProductBranding.contrastRatio("#000000", "#ffffff")).isCloseTo(21.0, within(0.001));
        assertThat(ProductBranding.contrastRatio("#ffffff", "#ffffff")).isCloseTo(1.0, within(0.001));
        // Reference values as WebAIM's contrast checker reports them.
        assertThat(ProductBranding.contrastRatio("#777777", "#ffffff")).isCloseTo(4.48, within(0.01));
        assertThat(ProductBranding.contrastRatio("#767676", "#ffffff")).isCloseTo(4.54, within(0.01));
        assertThat(ProductBranding.contrastRatio("#ffffff", "#595959")).isCloseTo(7.0, within(0.01));
    }

    @Test
    void anAccentPassesOnlyWhenWhiteTextOnItReachesAa() {
        assertThat(ProductBranding.accentProblem("#1f4e79")).isNull();
        assertThat(ProductBranding.accentProblem("#767676"))
                .as("4.54:1, just enough")
                .isNull();
        assertThat(ProductBranding.accentProblem("#777777")).contains("4.48:1", "4.5:1");
        assertThat(ProductBranding.accentProblem("#ffd700")).contains("darker");
    }

    @Test
    void anAccentMustBeSixHexDigits() {
        assertThat(ProductBranding.accentProblem("#123")).contains("#rrggbb");
        assertThat(ProductBranding.accentProblem("red")).contains("#rrggbb");
        assertThat(ProductBranding.accentProblem("#1f4e79;}body{display:none")).contains("#rrggbb");
        assertThat(ProductBranding.accentProblem(null)).contains("#rrggbb");
    }
}
