package io.drawbridge.token.issue.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MailMergeCsvTest {

    @Test
    void quotesCellsWithSeparatorsAndQuotes() {
        assertThat(MailMergeCsv.cell("a,b")).isEqualTo("\"a,b\"");
        assertThat(MailMergeCsv.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(MailMergeCsv.cell("plain")).isEqualTo("plain");
    }

    @Test
    void defusesSpreadsheetFormulas() {
        assertThat(MailMergeCsv.cell("=HYPERLINK(\"x\")")).startsWith("\"'=");
        assertThat(MailMergeCsv.cell("+1")).isEqualTo("'+1");
    }

    @Test
    void csvIsChosenOnlyWhenAskedFor() {
        assertThat(TokenAdminController.wantsCsv("text/csv")).isTrue();
        assertThat(TokenAdminController.wantsCsv("application/json, text/csv;q=0.5"))
                .isFalse();
        assertThat(TokenAdminController.wantsCsv("text/csv, application/json;q=0.5"))
                .isTrue();
        assertThat(TokenAdminController.wantsCsv("*/*")).isFalse();
        assertThat(TokenAdminController.wantsCsv(null)).isFalse();
    }
}
