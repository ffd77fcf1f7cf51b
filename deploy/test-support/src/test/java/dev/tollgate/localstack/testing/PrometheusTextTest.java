package dev.tollgate.localstack.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    static final String TEXT = """
            # HELP http_client_requests_seconds_count Duration of HTTP client requests
            # TYPE http_client_requests_seconds_count counter
            http_client_requests_seconds_count{method="POST",outcome="SUCCESS",status="200",uri="/internal/holds"} 3.0
            http_client_requests_seconds_count{method="POST",outcome="SERVER_ERROR",status="503",uri="/internal/holds"} 2.0
            http_client_requests_seconds_count{method="GET",outcome="SUCCESS",status="200",uri="/internal/balances"} 7.0
            http_client_requests_seconds_count_other{method="POST",status="200",uri="/internal/holds"} 100.0
            tollgate_workflow_triggers_refused_total{reason="queue_full"} 4.0
            tollgate_workflow_triggers_refused_total{reason="in_flight"} 1.0
            tollgate_store_pages 12.0
            """;

    @Test
    void sumsTheSamplesOfOneNameWhoseLabelsMatch() {
        assertEquals(3.0, PrometheusText.sum(TEXT, "http_client_requests_seconds_count", "/holds\"", "method=\"POST\"",
                "status=\"200\""));
        assertEquals(5.0, PrometheusText.sum(TEXT, "http_client_requests_seconds_count", "/holds\""),
                "every status of the holds POST, and not a metric whose name only starts the same");
        assertEquals(5.0, PrometheusText.sum(TEXT, "tollgate_workflow_triggers_refused_total"));
        assertEquals(12.0, PrometheusText.sum(TEXT, "tollgate_store_pages"), "a sample without labels");
    }

    @Test
    void nothingMatchingSumsToZero() {
        assertEquals(0.0, PrometheusText.sum(TEXT, "http_client_requests_seconds_count", "status=\"418\""));
        assertEquals(0.0, PrometheusText.sum(TEXT, "absent_total"));
        assertEquals(0.0, PrometheusText.sum("", "absent_total"));
    }
}
