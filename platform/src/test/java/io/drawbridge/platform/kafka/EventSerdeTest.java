package io.drawbridge.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drawbridge.events.EventHeaders;
import io.drawbridge.events.FileDeleted;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class EventSerdeTest {

    private final EventSerializer serializer = new EventSerializer();
    private final EventDeserializer deserializer = new EventDeserializer();
    private final FileDeleted event =
            new FileDeleted(UUID.randomUUID(), "files/a", Instant.parse("2025-03-01T10:00:00Z"));

    @Test
    void eventSentWithoutHeadersGetsTheStandardOnesAndReadsBack() {
        RecordHeaders headers = new RecordHeaders();

        byte[] json = serializer.serialize("files.v1", headers, event);

        assertThat(EventMetadata.text(headers, EventHeaders.EVENT_TYPE)).isEqualTo("FileDeleted");
        assertThat(EventMetadata.text(headers, EventHeaders.EVENT_VERSION)).isEqualTo("1");
        assertThat(EventMetadata.from(headers).eventId()).isNotNull();
        assertThat(deserializer.deserialize("files.v1", headers, json)).isEqualTo(event);
    }

    @Test
    void existingHeadersAreKept() {
        RecordHeaders headers = new RecordHeaders();
        EventMetadata metadata = EventMetadata.forNew(event, null);
        metadata.toHeaders(headers);

        serializer.serialize("files.v1", headers, event);

        assertThat(EventMetadata.from(headers)).isEqualTo(metadata);
    }

    @Test
    void bytesPassThroughUnchanged() {
        byte[] payload = "{\"any\":1}".getBytes(StandardCharsets.UTF_8);

        assertThat(serializer.serialize("files.v1", new RecordHeaders(), payload))
                .isSameAs(payload);
    }

    @Test
    void unknownTypeReadsAsNullSoTheListenerSkipsIt() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EventHeaders.EVENT_TYPE, "FileQuarantined".getBytes(StandardCharsets.UTF_8));

        assertThat(deserializer.deserialize("files.v1", headers, "{}".getBytes(StandardCharsets.UTF_8)))
                .isNull();
    }

    @Test
    void malformedPayloadOrMissingTypeFails() {
        RecordHeaders typed = new RecordHeaders();
        typed.add(EventHeaders.EVENT_TYPE, "FileDeleted".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> deserializer.deserialize("files.v1", typed, "{not".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> deserializer.deserialize("files.v1", new RecordHeaders(), "{}".getBytes()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("event-type");
    }

    @Test
    void traceparentIsKeptWhenValidAndReplacedWhenNot() {
        String valid = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        assertThat(Traceparent.orGenerate(valid)).isEqualTo(valid);
        assertThat(Traceparent.orGenerate("garbage")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    }
}
