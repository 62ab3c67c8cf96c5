package io.drawbridge.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The wire contract of every event, checked against committed golden JSON from both sides: what a producer
 * writes and what a consumer (possibly older or newer) reads.
 */
class EventContractTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Map<String, Event> SAMPLES = EventSamples.all();
    private static final Set<String> ALLOWED_SENSITIVE_LOOKING = Set.of("tokenhash", "tokenid");

    static Stream<EventType<?>> eventTypes() {
        return EventCatalog.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventTypes")
    void producerWritesExactlyTheGoldenJson(EventType<?> type) {
        Event sample = sample(type);

        JsonNode written = MAPPER.readTree(MAPPER.writeValueAsString(sample));

        assertThat(written).isEqualTo(golden(type));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventTypes")
    void consumerReadsTheGoldenJsonBackToAnEqualRecord(EventType<?> type) {
        Event read = MAPPER.readValue(goldenText(type), type.type());

        assertThat(read).isEqualTo(sample(type));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventTypes")
    void consumerIgnoresFieldsAddedByANewerProducer(EventType<?> type) {
        ObjectNode newer = (ObjectNode) golden(type);
        newer.put("addedInALaterMinorVersion", "whatever");
        newer.putObject("nestedAddition").put("x", 1);

        Event read = MAPPER.readValue(MAPPER.writeValueAsString(newer), type.type());

        assertThat(read).isEqualTo(sample(type));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventTypes")
    void nullOptionalFieldsAreOmittedAndReadBackAsNull(EventType<?> type) throws Exception {
        Event sample = sample(type);
        JsonNode written = MAPPER.readTree(MAPPER.writeValueAsString(sample));

        for (RecordComponent component : type.type().getRecordComponents()) {
            Object value = component.getAccessor().invoke(sample);
            assertThat(written.has(component.getName())).as(component.getName()).isEqualTo(value != null);
        }
    }

    @Test
    void everyCatalogEntryHasAGoldenFileAndASampleAndNothingElseDoes() throws IOException {
        List<String> names = EventCatalog.all().stream().map(EventType::name).toList();

        assertThat(SAMPLES.keySet()).containsExactlyInAnyOrderElementsOf(names);
        for (String name : names) {
            assertThat(getClass().getResource("/events/v1/" + name + ".json"))
                    .as(name)
                    .isNotNull();
        }
        try (InputStream listing = getClass().getResourceAsStream("/events/v1/")) {
            if (listing != null) {
                List<String> files = List.of(new String(listing.readAllBytes(), StandardCharsets.UTF_8)
                        .trim()
                        .split("\\R"));
                assertThat(files.stream().map(file -> file.replace(".json", "")))
                        .containsExactlyInAnyOrderElementsOf(names);
            }
        }
    }

    @Test
    void catalogNamesAreSimpleRecordNamesOnTheirStreamsTopic() {
        for (EventType<?> type : EventCatalog.all()) {
            assertThat(type.name()).isEqualTo(type.type().getSimpleName());
            assertThat(type.version()).isEqualTo(1);
            assertThat(Topics.all()).contains(type.topic());
            assertThat(EventCatalog.byName(type.name())).contains(type);
            assertThat(EventCatalog.of(sample(type))).isEqualTo(type);
        }
        assertThat(EventCatalog.byName("NoSuchEvent")).isEmpty();
        assertThat(EventCatalog.byName(null)).isEmpty();
        assertThat(EventCatalog.onTopic(Topics.DOWNLOAD_REPLIES))
                .extracting(EventType::name)
                .containsExactly("DownloadGranted", "DownloadDenied");
    }

    @Test
    void grantedItemFromAProducerWithoutCrc32ReadsWithoutIt() {
        ObjectNode older =
                (ObjectNode) golden(EventCatalog.byName("DownloadGranted").orElseThrow());
        ((ObjectNode) older.get("items").get(0)).remove("crc32");

        DownloadGranted read = MAPPER.readValue(MAPPER.writeValueAsString(older), DownloadGranted.class);

        GrantedItem item = read.items().get(0);
        assertThat(item.crc32()).isNull();
        assertThat(item)
                .isEqualTo(new GrantedItem(
                        item.fileId(),
                        item.objectKey(),
                        item.name(),
                        item.size(),
                        item.sha256(),
                        item.contentType(),
                        item.platform()));
        assertThat(MAPPER.readTree(MAPPER.writeValueAsString(item)).has("crc32"))
                .isFalse();
    }

    @Test
    void keyIsTheAggregateIdOfTheTopic() {
        assertThat(SAMPLES.get("DownloadRequested").key()).isEqualTo(EventSamples.TOKEN_HASH);
        assertThat(SAMPLES.get("DownloadGranted").key()).isEqualTo(EventSamples.REQUEST_ID.toString());
        assertThat(SAMPLES.get("DownloadDenied").key()).isEqualTo(EventSamples.REQUEST_ID.toString());
        Stream.of("DownloadCompleted", "DownloadFailed", "TokenIssued", "TokenRevoked", "TokenExhausted")
                .forEach(name ->
                        assertThat(SAMPLES.get(name).key()).as(name).isEqualTo(EventSamples.TOKEN_ID.toString()));
        assertThat(SAMPLES.get("OrderStatusChanged").key()).isEqualTo("ord_1001");
        assertThat(SAMPLES.get("FileStored").key()).isEqualTo(EventSamples.FILE_ID.toString());
        assertThat(SAMPLES.get("FileDeleted").key()).isEqualTo(EventSamples.FILE_ID.toString());
        assertThat(SAMPLES.get("ReleasePublished").key()).isEqualTo("APP-PRO");
        assertThat(SAMPLES.get("CustomerErasureRequested").key()).isEqualTo(EventSamples.ERASURE_ID.toString());
        assertThat(SAMPLES.get("CustomerErased").key()).isEqualTo(EventSamples.ERASURE_ID.toString());
    }

    @Test
    void theErasureRequestCarriesTheAddressOnlyAsTheHashEveryOwnerComputes() {
        CustomerErasureRequested request = (CustomerErasureRequested) SAMPLES.get("CustomerErasureRequested");
        assertThat(request.emailHash()).isEqualTo(CustomerErasureRequested.emailHash(" Buyer@Example.COM "));
        // sha256("buyer@example.com"), as PostgreSQL's encode(sha256(...), 'hex') computes it too.
        assertThat(request.emailHash()).isEqualTo("6a6c26195c3682faa816966af789717c3bfa834eee6c599d667d2b3429c27cfd");
        assertThat(goldenText(EventCatalog.of(CustomerErasureRequested.class))).doesNotContain("@");
    }

    @Test
    void noFieldLooksLikeItCarriesATokenPasswordOrSecret() {
        List<String> offending = new ArrayList<>();
        for (EventType<?> type : EventCatalog.all()) {
            collectSensitiveNames(type.type(), type.name(), offending);
            collectSensitiveNames(golden(type), type.name(), offending);
        }

        assertThat(offending).isEmpty();
    }

    @Test
    void deadLetterTopicIsTheTopicWithADltSuffix() {
        assertThat(Topics.dlt(Topics.FILES)).isEqualTo("files.v1.dlt");
        assertThat(Topics.all())
                .containsExactly(
                        "download-requests.v1",
                        "download-replies.v1",
                        "downloads.v1",
                        "tokens.v1",
                        "orders.v1",
                        "files.v1",
                        "releases.v1",
                        "console.v1",
                        "shares.v1",
                        "privacy.v1");
    }

    private static void collectSensitiveNames(Class<?> type, String path, List<String> offending) {
        if (!type.isRecord()) {
            return;
        }
        for (RecordComponent component : type.getRecordComponents()) {
            String where = path + "." + component.getName();
            if (looksSensitive(component.getName())) {
                offending.add(where);
            }
            collectSensitiveNames(component.getType(), where, offending);
            collectGenericArguments(component.getGenericType(), where, offending);
        }
    }

    private static void collectGenericArguments(Type type, String path, List<String> offending) {
        if (type instanceof ParameterizedType parameterized) {
            for (Type argument : parameterized.getActualTypeArguments()) {
                if (argument instanceof Class<?> argumentClass) {
                    collectSensitiveNames(argumentClass, path + "[]", offending);
                }
                collectGenericArguments(argument, path, offending);
            }
        }
    }

    private static void collectSensitiveNames(JsonNode node, String path, List<String> offending) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (looksSensitive(field.getKey())) {
                    offending.add(path + "." + field.getKey() + " (json)");
                }
                collectSensitiveNames(field.getValue(), path + "." + field.getKey(), offending);
            }
        } else if (node.isArray()) {
            node.forEach(element -> collectSensitiveNames(element, path + "[]", offending));
        }
    }

    private static boolean looksSensitive(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (ALLOWED_SENSITIVE_LOOKING.contains(lower)) {
            return false;
        }
        return lower.contains("token")
                || lower.contains("password")
                || lower.contains("passwd")
                || lower.contains("secret")
                || lower.contains("credential");
    }

    private static Event sample(EventType<?> type) {
        return SAMPLES.get(type.name());
    }

    private static JsonNode golden(EventType<?> type) {
        return MAPPER.readTree(goldenText(type));
    }

    private static String goldenText(EventType<?> type) {
        try (InputStream in = EventContractTest.class.getResourceAsStream("/events/v1/" + type.name() + ".json")) {
            assertThat(in).as("golden JSON of " + type.name()).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
