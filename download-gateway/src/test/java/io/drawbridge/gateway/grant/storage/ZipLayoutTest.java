package io.drawbridge.gateway.grant.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZipLayoutTest {

    private static final long GIB = 1L << 30;

    @TempDir
    Path dir;

    private final Map<String, byte[]> objects = new LinkedHashMap<>();

    @Test
    void wholeArchiveOpensWithZipInputStreamAndZipFileAndEveryEntryMatches() throws IOException {
        ZipLayout layout = ZipLayout.of(List.of(
                entry("readme.txt", "hello, world\n".getBytes(StandardCharsets.UTF_8)),
                entry("app-1.0-linux.tar.gz", random(70_000, 1)),
                entry("empty.bin", new byte[0]),
                entry("Grüße ✓.pdf", random(1234, 2))));

        byte[] archive = materialize(layout.segments());

        assertThat(archive).hasSize(Math.toIntExact(layout.length()));
        Map<String, byte[]> expected = new LinkedHashMap<>();
        expected.put("readme.txt", objects.get("k/readme.txt"));
        expected.put("app-1.0-linux.tar.gz", objects.get("k/app-1.0-linux.tar.gz"));
        expected.put("empty.bin", objects.get("k/empty.bin"));
        expected.put("Grüße ✓.pdf", objects.get("k/Grüße ✓.pdf"));
        assertReadsBackAsStream(archive, expected);
        assertReadsBackAsFile(archive, expected);
    }

    @Test
    void everySplitIntoTwoRangesConcatenatesToTheWholeArchive() {
        ZipLayout layout = ZipLayout.of(List.of(
                entry("a.txt", "first".getBytes(StandardCharsets.UTF_8)),
                entry("b.bin", random(40, 3)),
                entry("c.txt", new byte[0]),
                entry("d.txt", "last one".getBytes(StandardCharsets.UTF_8))));
        byte[] whole = materialize(layout.segments());

        for (long split = 0; split <= layout.length(); split++) {
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            joined.writeBytes(materialize(layout.segments(0, split)));
            joined.writeBytes(materialize(layout.segments(split, layout.length() - split)));
            assertThat(joined.toByteArray()).as("split at %d", split).isEqualTo(whole);
        }
        for (long start = 0; start < layout.length(); start += 7) {
            long count = Math.min(13, layout.length() - start);
            assertThat(materialize(layout.segments(start, count)))
                    .as("range at %d", start)
                    .isEqualTo(java.util.Arrays.copyOfRange(whole, (int) start, (int) (start + count)));
        }
        assertThatThrownBy(() -> layout.segments(layout.length(), 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(layout.segments(layout.length(), 0)).isEmpty();
    }

    @Test
    void slicesReadOnlyTheBytesOfTheRangeFromEachObject() {
        ZipLayout layout = ZipLayout.of(List.of(entry("a.bin", random(100, 4)), entry("b.bin", random(100, 5))));
        long dataOfA = 30 + "a.bin".length();

        List<ZipLayout.Segment> segments = layout.segments(dataOfA + 10, 20).toList();

        assertThat(segments).containsExactly(new ZipLayout.Slice("k/a.bin", 10, 20));
    }

    @Test
    void namesAreSafeUniqueAndMarkedUtf8() throws IOException {
        ZipLayout layout = ZipLayout.of(List.of(
                entry("../../etc/passwd", bytes("x")),
                entry("/abs/setup.exe", bytes("y")),
                entry("C:\\dir\\Setup.exe", bytes("z")),
                entry("..", bytes("w")),
                entry("naïve.txt", bytes("v"))));

        assertThat(layout.entries())
                .extracting(ZipLayout.Entry::name)
                .containsExactly("passwd", "setup.exe", "Setup (2).exe", "download", "naïve.txt");
        byte[] archive = materialize(layout.segments());
        // Read as Latin-1: only the UTF-8 flag (bit 11) makes the name come out right.
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive), StandardCharsets.ISO_8859_1)) {
            List<String> names = new ArrayList<>();
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                names.add(e.getName());
                assertThat(e.getMethod()).isEqualTo(ZipEntry.STORED);
            }
            assertThat(names).contains("naïve.txt");
        }
        assertThat(littleEndianShort(archive, 6) & (1 << 11)).isNotZero();
    }

    @Test
    void namesThatACaseInsensitiveFileSystemWouldMergeAreMadeUnique() {
        Locale before = Locale.getDefault();
        // A Turkish default locale lower-cases "I" to a dotless "ı": FILE and file must still collide.
        Locale.setDefault(Locale.forLanguageTag("tr-TR"));
        try {
            ZipLayout layout = ZipLayout.of(List.of(
                    entry("FILE.txt", bytes("a")),
                    entry("file.txt", bytes("b")),
                    entry("Straße.txt", bytes("c")),
                    entry("STRASSE.txt", bytes("d")),
                    entry("caf\u00e9.txt", bytes("e")),
                    entry("cafe\u0301.txt", bytes("f"))));

            List<String> names =
                    layout.entries().stream().map(ZipLayout.Entry::name).toList();
            assertThat(names).hasSize(6);
            assertThat(names.stream()
                            .map(name -> Normalizer.normalize(name, Normalizer.Form.NFC)
                                    .toUpperCase(Locale.ROOT)
                                    .toLowerCase(Locale.ROOT))
                            .distinct())
                    .hasSize(6);
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void sameItemsGiveTheSameBytesAndETagAndOtherContentAnotherETag() {
        List<ZipLayout.Entry> entries = List.of(entry("a.txt", bytes("one")), entry("b.txt", bytes("two")));
        ZipLayout first = ZipLayout.of(entries);
        ZipLayout second = ZipLayout.of(entries);
        ZipLayout changed = ZipLayout.of(List.of(entries.get(0), entry("b.txt", bytes("2wo"))));

        assertThat(materialize(first.segments())).isEqualTo(materialize(second.segments()));
        assertThat(first.etag()).isEqualTo(second.etag()).matches("\"zip-[0-9a-f]{32}\"");
        assertThat(changed.etag()).isNotEqualTo(first.etag());
    }

    @Test
    void moreThan65534EntriesUseZip64EndRecordsThatJavaReads() throws IOException {
        List<ZipLayout.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 70_000; i++) {
            entries.add(i % 1000 == 0 ? entry("f" + i + ".txt", bytes("n" + i)) : entry("f" + i + ".txt", new byte[0]));
        }
        ZipLayout layout = ZipLayout.of(entries);
        byte[] archive = materialize(layout.segments());

        ByteBuffer end =
                ByteBuffer.wrap(archive, archive.length - 22, 22).slice().order(ByteOrder.LITTLE_ENDIAN);
        assertThat(end.getInt()).isEqualTo(0x06054b50);
        end.getInt();
        assertThat(end.getShort() & 0xFFFF).isEqualTo(0xFFFF);
        ByteBuffer zip64 = ByteBuffer.wrap(archive, archive.length - 22 - 20 - 56, 56)
                .slice()
                .order(ByteOrder.LITTLE_ENDIAN);
        assertThat(zip64.getInt()).isEqualTo(0x06064b50);
        assertThat(zip64.getLong(24)).isEqualTo(70_000);
        assertThat(zip64.getLong(32)).isEqualTo(70_000);
        Path file = dir.resolve("many.zip");
        Files.write(file, archive);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            assertThat(zip.size()).isEqualTo(70_000);
            ZipEntry last = zip.getEntry("f69000.txt");
            assertThat(new String(zip.getInputStream(last).readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("n69000");
        }
        int read = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            while (zip.getNextEntry() != null) {
                zip.readAllBytes();
                read++;
            }
        }
        assertThat(read).isEqualTo(70_000);
    }

    @Test
    void entriesOver4GiBCarryZip64SizesAndOffsetsWithoutRealData() throws IOException {
        long big = 5 * GIB + 123;
        ZipLayout layout = ZipLayout.of(List.of(
                new ZipLayout.Entry("small.txt", "k/small", 3, 0x11111111, "s1"),
                new ZipLayout.Entry("huge.iso", "k/huge", big, 0x22222222, "s2"),
                new ZipLayout.Entry("after.txt", "k/after", 4, 0x33333333, "s3")));

        // Local header of huge.iso: sizes 0xFFFFFFFF, the Zip64 extra holds both real sizes.
        long hugeLocal = 30 + "small.txt".length() + 3;
        byte[] local = literal(layout, hugeLocal, 30 + "huge.iso".length() + 20);
        ByteBuffer l = ByteBuffer.wrap(local).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(l.getInt(0)).isEqualTo(0x04034b50);
        assertThat(l.getShort(4)).isEqualTo((short) 45);
        assertThat(l.getInt(14)).isEqualTo(0x22222222);
        assertThat(l.getInt(18)).isEqualTo(-1);
        assertThat(l.getInt(22)).isEqualTo(-1);
        assertThat(l.getShort(28)).isEqualTo((short) 20);
        assertThat(l.getShort(30 + 8)).isEqualTo((short) 1);
        assertThat(l.getShort(32 + 8)).isEqualTo((short) 16);
        assertThat(l.getLong(34 + 8)).isEqualTo(big);
        assertThat(l.getLong(42 + 8)).isEqualTo(big);

        // The data slice of huge.iso is the whole object, and a range in its middle reads that part of it only.
        long hugeData = hugeLocal + local.length;
        assertThat(layout.segments(hugeData + 4 * GIB, 10).toList())
                .containsExactly(new ZipLayout.Slice("k/huge", 4 * GIB, 10));

        // after.txt starts past 4 GiB: its central header says 0xFFFFFFFF and the Zip64 extra holds the offset.
        long afterLocal = hugeData + big;
        long central = afterLocal + 30 + "after.txt".length() + 4;
        long afterCentral = central + (46 + "small.txt".length()) + (46 + "huge.iso".length() + 20);
        ByteBuffer c = ByteBuffer.wrap(literal(layout, afterCentral, 46 + "after.txt".length() + 12))
                .order(ByteOrder.LITTLE_ENDIAN);
        assertThat(c.getInt(0)).isEqualTo(0x02014b50);
        assertThat(c.getInt(20)).isEqualTo(4);
        assertThat(c.getInt(24)).isEqualTo(4);
        assertThat(c.getShort(30)).isEqualTo((short) 12);
        assertThat(c.getInt(42)).isEqualTo(-1);
        assertThat(c.getShort(46 + 9)).isEqualTo((short) 1);
        assertThat(c.getShort(48 + 9)).isEqualTo((short) 8);
        assertThat(c.getLong(50 + 9)).isEqualTo(afterLocal);

        // The central directory starts past 4 GiB: Zip64 end record and locator, 0xFFFFFFFF in the classic one.
        long centralEnd = layout.length() - 22 - 20 - 56;
        ByteBuffer end =
                ByteBuffer.wrap(literal(layout, centralEnd, 56 + 20 + 22)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(end.getInt(0)).isEqualTo(0x06064b50);
        assertThat(end.getLong(4)).isEqualTo(44);
        assertThat(end.getLong(24)).isEqualTo(3);
        assertThat(end.getLong(40)).isEqualTo(centralEnd - central);
        assertThat(end.getLong(48)).isEqualTo(central);
        assertThat(end.getInt(56)).isEqualTo(0x07064b50);
        assertThat(end.getLong(64)).isEqualTo(centralEnd);
        assertThat(end.getInt(72)).isEqualTo(1);
        assertThat(end.getInt(76)).isEqualTo(0x06054b50);
        assertThat(end.getShort(76 + 10)).isEqualTo((short) 3);
        assertThat(end.getInt(76 + 16)).isEqualTo(-1);

        // And java.util.zip.ZipFile reads that central directory: a sparse file with the header bytes in place.
        Path file = dir.resolve("huge.zip");
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            out.setLength(layout.length());
            long[] at = {0};
            layout.segments().forEach(segment -> {
                try {
                    if (segment instanceof ZipLayout.Literal literal) {
                        out.seek(at[0]);
                        out.write(literal.bytes());
                    } else if (segment.length() < 16) {
                        out.seek(at[0]);
                        out.write(bytesOf(((ZipLayout.Slice) segment).objectKey()));
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                at[0] += segment.length();
            });
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            assertThat(Collections.list(zip.entries()))
                    .extracting(ZipEntry::getName, ZipEntry::getSize, ZipEntry::getCompressedSize, ZipEntry::getCrc)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("small.txt", 3L, 3L, 0x11111111L),
                            org.assertj.core.groups.Tuple.tuple("huge.iso", big, big, 0x22222222L),
                            org.assertj.core.groups.Tuple.tuple("after.txt", 4L, 4L, 0x33333333L));
            assertThat(zip.getInputStream(zip.getEntry("after.txt")).readAllBytes())
                    .isEqualTo(bytesOf("k/after"));
        }
    }

    @Test
    void anEntryOfExactly0xFFFFFFFFBytesIsZip64() {
        ZipLayout layout = ZipLayout.of(List.of(
                new ZipLayout.Entry("a", "k/a", 0xFFFFFFFFL, 0, "s"), new ZipLayout.Entry("b", "k/b", 1, 0, "s")));

        ByteBuffer local = ByteBuffer.wrap(literal(layout, 0, 30 + 1 + 20)).order(ByteOrder.LITTLE_ENDIAN);

        assertThat(local.getInt(22)).isEqualTo(-1);
        assertThat(local.getLong(31 + 4 + 8)).isEqualTo(0xFFFFFFFFL);
    }

    /** The bytes the short test objects of the sparse file hold: "k/after" is 4 bytes, "k/small" 3. */
    private static byte[] bytesOf(String objectKey) {
        return switch (objectKey) {
            case "k/small" -> bytes("abc");
            case "k/after" -> bytes("tail");
            default -> throw new IllegalArgumentException(objectKey);
        };
    }

    private static byte[] literal(ZipLayout layout, long start, int count) {
        List<ZipLayout.Segment> segments = layout.segments(start, count).toList();
        assertThat(segments).allMatch(ZipLayout.Literal.class::isInstance);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        segments.forEach(segment -> out.writeBytes(((ZipLayout.Literal) segment).bytes()));
        return out.toByteArray();
    }

    private ZipLayout.Entry entry(String name, byte[] content) {
        String key = "k/" + name;
        objects.put(key, content);
        CRC32 crc = new CRC32();
        crc.update(content);
        return new ZipLayout.Entry(name, key, content.length, (int) crc.getValue(), sha256(content));
    }

    private byte[] materialize(java.util.stream.Stream<ZipLayout.Segment> segments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        segments.forEach(segment -> {
            if (segment instanceof ZipLayout.Literal literal) {
                out.writeBytes(literal.bytes());
            } else {
                ZipLayout.Slice slice = (ZipLayout.Slice) segment;
                byte[] object = objects.get(slice.objectKey());
                out.write(object, Math.toIntExact(slice.offset()), Math.toIntExact(slice.length()));
            }
        });
        return out.toByteArray();
    }

    private void assertReadsBackAsStream(byte[] archive, Map<String, byte[]> expected) throws IOException {
        Map<String, byte[]> read = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                byte[] content = zip.readAllBytes(); // ZipInputStream checks each entry's CRC-32 and size
                assertThat(e.getMethod()).isEqualTo(ZipEntry.STORED);
                assertThat(e.getSize()).isEqualTo(content.length);
                read.put(e.getName(), content);
            }
        }
        assertThat(read.keySet()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((name, content) -> assertThat(read.get(name)).as(name).isEqualTo(content));
    }

    private void assertReadsBackAsFile(byte[] archive, Map<String, byte[]> expected) throws IOException {
        Path file = dir.resolve("archive.zip");
        Files.write(file, archive);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            assertThat(Collections.list(zip.entries()))
                    .extracting(ZipEntry::getName)
                    .containsExactlyElementsOf(expected.keySet());
            for (Map.Entry<String, byte[]> e : expected.entrySet()) {
                ZipEntry entry = zip.getEntry(e.getKey());
                CRC32 crc = new CRC32();
                crc.update(e.getValue());
                assertThat(entry.getCrc()).isEqualTo(crc.getValue());
                assertThat(entry.getTimeLocal()).isEqualTo(java.time.LocalDateTime.of(1980, 2, 1, 0, 0));
                assertThat(zip.getInputStream(entry).readAllBytes()).isEqualTo(e.getValue());
            }
        }
    }

    private static int littleEndianShort(byte[] bytes, int at) {
        return (bytes[at] & 0xFF) | (bytes[at + 1] & 0xFF) << 8;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
