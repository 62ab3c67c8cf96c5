package io.drawbridge.audit.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlMetricNamesTest {

    @Test
    void findsMetricsInsideAggregationsAndFunctions() {
        assertThat(
                        PromQlMetricNames.of(
                                "histogram_quantile(0.99, sum by (le, uri) (rate(http_server_requests_seconds_bucket{service=~\"$service\"}[$__rate_interval])))"))
                .containsExactly("http_server_requests_seconds_bucket");
    }

    @Test
    void ignoresLabelsKeywordsNumbersDurationsAndStrings() {
        assertThat(
                        PromQlMetricNames.of(
                                """
                        sum(rate(drawbridge_downloads_total{outcome="failed", platform="a_b"}[5m])) > 0.05
                        and
                        sum(rate(drawbridge_downloads_total{outcome="failed"}[5m])) / sum(rate(drawbridge_downloads_total[5m])) > 0.10
                        """))
                .containsExactly("drawbridge_downloads_total");
    }

    @Test
    void findsEveryOperandOfBinaryExpressions() {
        assertThat(
                        PromQlMetricNames.of(
                                "max by (service) (drawbridge_outbox_backlog_events) > 100 and on (service) deriv(drawbridge_outbox_oldest_age_seconds[10m]) > 0 or up == 0"))
                .containsExactly("drawbridge_outbox_backlog_events", "drawbridge_outbox_oldest_age_seconds", "up");
    }

    @Test
    void recordingRuleNamesAreMetricNames() {
        assertThat(PromQlMetricNames.of("drawbridge:downloads:rate5m * 60"))
                .containsExactly("drawbridge:downloads:rate5m");
    }

    @Test
    void variableQueriesReadTheirMetricNotTheirLabel() {
        assertThat(PromQlMetricNames.ofVariableQuery("label_values(jvm_memory_used_bytes, service)"))
                .containsExactly("jvm_memory_used_bytes");
        assertThat(PromQlMetricNames.ofVariableQuery("label_values(up{job=\"drawbridge\"}, instance)"))
                .containsExactly("up");
    }
}
