package io.drawbridge.audit.privacy.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class ClientDetailsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static ObjectNode json(String text) {
        return (ObjectNode) JSON.readTree(text);
    }

    @Test
    void removesClientIpAndUserAgentAtAnyDepthAndKeepsEverythingElse() {
        ObjectNode payload = json(
                """
                {"grantId": "g", "clientIp": "198.51.100.23", "userAgent": "curl/8.5", "bytesSent": 10,
                 "forwarded": {"clientIp": "192.0.2.1", "hops": [{"userAgent": "proxy/1", "name": "edge"}]}}
                """);

        ObjectNode scrubbed = ClientDetails.remove(payload);

        assertThat(scrubbed)
                .isEqualTo(
                        json(
                                """
                        {"grantId": "g", "bytesSent": 10, "forwarded": {"hops": [{"name": "edge"}]}}
                        """));
        assertThat(ClientDetails.present(scrubbed)).isFalse();
        assertThat(payload.get("clientIp").asString())
                .as("the original is left as it was")
                .isEqualTo("198.51.100.23");
    }

    @Test
    void findsClientDetailsOnlyWhereThereAreSome() {
        assertThat(ClientDetails.present(json("{\"a\": [{\"b\": {\"userAgent\": null}}]}")))
                .isTrue();
        assertThat(ClientDetails.present(json("{\"note\": \"clientIp\", \"ip\": [\"clientIp\"]}")))
                .isFalse();
    }
}
