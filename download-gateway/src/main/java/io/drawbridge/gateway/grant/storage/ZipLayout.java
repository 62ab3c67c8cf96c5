package io.drawbridge.gateway.grant.storage;

import io.drawbridge.gateway.grant.domain.FileNames;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The exact bytes of a ZIP of several stored objects, known before any of them is read, the way nginx's mod_zip
 * lays one out: entries are STORED (not compressed) with their size and CRC-32 in the local headers (no data
 * descriptors), names are UTF-8 (flag bit 11), every entry has the same fixed timestamp, and Zip64 records appear
 * only where a size, an offset or the entry count needs them (APPNOTE 6.3, sections 4.3 and 4.5.3). The same items
 * therefore always give the same archive, byte for byte: it has a length, a strong ETag, and any byte range of it
 * maps onto header bytes and slices of the objects, which is what makes a ZIP download resumable.
 *
 * <p>Pure: computes offsets and header bytes, reads nothing.
 */
public final class ZipLayout {

    /** 1980-02-01 00:00 in MS-DOS form, the constant timestamp reproducible archives use (as Gradle does). */
    static final int DOS_DATE = (0 << 9) | (2 << 5) | 1;

    static final int DOS_TIME = 0;

    static final long MAGIC = 0xFFFFFFFFL;
    static final int MAGIC_COUNT = 0xFFFF;

    private static final int LOCAL_HEADER = 30;
    private static final int CENTRAL_HEADER = 46;
    private static final int END_RECORD = 22;
    private static final int ZIP64_END_RECORD = 56;
    private static final int ZIP64_LOCATOR = 20;
    private static final int UTF8_NAMES = 1 << 11;
    private static final int UNIX = 3;
    private static final int VERSION_DEFAULT = 20;
    private static final int VERSION_ZIP64 = 45;
    private static final int REGULAR_FILE_0644 = 0100644;

    /**
     * One file of the archive.
     *
     * @param name the entry name as the customer sees it (made safe and unique by {@link #of})
     * @param objectKey where its bytes are
     * @param crc32 CRC-32 of its bytes
     */
    public record Entry(String name, String objectKey, long size, int crc32, String sha256) {}

    /** A piece of a byte range of the archive, in order. */
    public sealed interface Segment permits Literal, Slice {
        long length();
    }

    /** Header bytes of the archive itself. */
    public record Literal(byte[] bytes) implements Segment {
        @Override
        public long length() {
            return bytes.length;
        }
    }

    /** Bytes {@code [offset, offset + length)} of an object. */
    public record Slice(String objectKey, long offset, long length) implements Segment {}

    private final List<Entry> entries;
    private final byte[][] names;
    private final long[] localOffsets;
    private final long[] centralOffsets;
    private final long centralStart;
    private final long centralSize;
    private final boolean zip64End;
    private final long length;

    private ZipLayout(List<Entry> entries) {
        this.entries = List.copyOf(entries);
        int n = this.entries.size();
        names = new byte[n][];
        localOffsets = new long[n];
        centralOffsets = new long[n];
        long offset = 0;
        for (int i = 0; i < n; i++) {
            names[i] = this.entries.get(i).name().getBytes(StandardCharsets.UTF_8);
            if (names[i].length > 0xFFFF) {
                throw new IllegalArgumentException("entry name too long");
            }
            localOffsets[i] = offset;
            offset = Math.addExact(
                    offset, localHeaderLength(i) + this.entries.get(i).size());
        }
        centralStart = offset;
        for (int i = 0; i < n; i++) {
            centralOffsets[i] = offset;
            offset += centralHeaderLength(i);
        }
        centralSize = offset - centralStart;
        zip64End = n >= MAGIC_COUNT || centralSize >= MAGIC || centralStart >= MAGIC;
        length = offset + (zip64End ? ZIP64_END_RECORD + ZIP64_LOCATOR : 0) + END_RECORD;
    }

    /**
     * Lays out {@code entries} in order. Names are made safe (no directories, no control characters, never
     * {@code ..}: {@link FileNames#safe}) and unique (a second "setup.exe" becomes "setup (2).exe").
     */
    public static ZipLayout of(List<Entry> entries) {
        Set<String> taken = new HashSet<>();
        List<Entry> named = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            if (entry.size() < 0) {
                throw new IllegalArgumentException("negative size");
            }
            String name = uniqueName(FileNames.safe(entry.name()), taken);
            named.add(new Entry(name, entry.objectKey(), entry.size(), entry.crc32(), entry.sha256()));
        }
        return new ZipLayout(named);
    }

    /**
     * ZIP entry names must be unique, also where they are unpacked on a case-insensitive file system: a second
     * "setup.exe" (or "Setup.EXE") becomes "setup (2).exe".
     */
    static String uniqueName(String name, Set<String> taken) {
        String candidate = name;
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        for (int n = 2; !taken.add(FileNames.collisionKey(candidate)); n++) {
            candidate = stem + " (" + n + ")" + extension;
        }
        return candidate;
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The archive's exact length in bytes. */
    public long length() {
        return length;
    }

    /**
     * A strong validator of these exact bytes: a hash of everything they depend on (the layout's version, each
     * entry's name, size, CRC-32 and SHA-256). The same items give the same ETag on every request and every gateway.
     */
    public String etag() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("drawbridge-zip-v1\n".getBytes(StandardCharsets.UTF_8));
            for (Entry entry : entries) {
                String line = entry.name() + "\0" + entry.size() + "\0" + Integer.toHexString(entry.crc32()) + "\0"
                        + entry.sha256() + "\n";
                sha.update(line.getBytes(StandardCharsets.UTF_8));
            }
            return "\"zip-" + HexFormat.of().formatHex(sha.digest(), 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Bytes {@code [start, start + count)} of the archive as header bytes and object slices, in order. */
    public Stream<Segment> segments(long start, long count) {
        if (start < 0 || count < 0 || start > length || count > length - start) {
            throw new IllegalArgumentException("range outside the archive");
        }
        long end = start + count;
        int n = entries.size();
        // Parts in archive order: local header and data of each entry, the central headers, the end records.
        return IntStream.range(0, 3 * n + 1)
                .mapToObj(part -> part < 2 * n
                        ? (part % 2 == 0 ? localPart(part / 2) : dataPart(part / 2))
                        : part < 3 * n ? centralPart(part - 2 * n) : endPart())
                .filter(part -> part.length > 0 && part.offset < end && part.offset + part.length > start)
                .map(part -> part.cut(
                        Math.max(start, part.offset) - part.offset,
                        Math.min(end, part.offset + part.length) - Math.max(start, part.offset)));
    }

    /** The whole archive. */
    public Stream<Segment> segments() {
        return segments(0, length);
    }

    private abstract static class Part {
        final long offset;
        final long length;

        Part(long offset, long length) {
            this.offset = offset;
            this.length = length;
        }

        abstract Segment cut(long from, long count);
    }

    private final class HeaderPart extends Part {
        private final java.util.function.Supplier<byte[]> bytes;

        HeaderPart(long offset, long length, java.util.function.Supplier<byte[]> bytes) {
            super(offset, length);
            this.bytes = bytes;
        }

        @Override
        Segment cut(long from, long count) {
            byte[] all = bytes.get();
            return new Literal(
                    from == 0 && count == all.length ? all : Arrays.copyOfRange(all, (int) from, (int) (from + count)));
        }
    }

    private Part localPart(int i) {
        return new HeaderPart(localOffsets[i], localHeaderLength(i), () -> localHeader(i));
    }

    private Part dataPart(int i) {
        Entry entry = entries.get(i);
        return new Part(localOffsets[i] + localHeaderLength(i), entry.size()) {
            @Override
            Segment cut(long from, long count) {
                return new Slice(entry.objectKey(), from, count);
            }
        };
    }

    private Part centralPart(int i) {
        return new HeaderPart(centralOffsets[i], centralHeaderLength(i), () -> centralHeader(i));
    }

    private Part endPart() {
        long offset = centralStart + centralSize;
        return new HeaderPart(offset, length - offset, this::endRecords);
    }

    private boolean zip64Sizes(int i) {
        return entries.get(i).size() >= MAGIC;
    }

    private boolean zip64Offset(int i) {
        return localOffsets[i] >= MAGIC;
    }

    private int localHeaderLength(int i) {
        return LOCAL_HEADER + names[i].length + (zip64Sizes(i) ? 4 + 16 : 0);
    }

    private int centralExtraLength(int i) {
        int fields = (zip64Sizes(i) ? 16 : 0) + (zip64Offset(i) ? 8 : 0);
        return fields == 0 ? 0 : 4 + fields;
    }

    private int centralHeaderLength(int i) {
        return CENTRAL_HEADER + names[i].length + centralExtraLength(i);
    }

    private int versionNeeded(int i) {
        return zip64Sizes(i) || zip64Offset(i) ? VERSION_ZIP64 : VERSION_DEFAULT;
    }

    private byte[] localHeader(int i) {
        Entry entry = entries.get(i);
        boolean zip64 = zip64Sizes(i);
        ByteBuffer out = buffer(localHeaderLength(i));
        out.putInt(0x04034b50);
        putEntryFields(out, i, zip64);
        out.putShort((short) (zip64 ? 4 + 16 : 0));
        out.put(names[i]);
        if (zip64) {
            // In a local header the Zip64 extra carries both sizes (APPNOTE 4.5.3).
            out.putShort((short) 0x0001);
            out.putShort((short) 16);
            out.putLong(entry.size());
            out.putLong(entry.size());
        }
        return out.array();
    }

    /**
     * The fields local and central headers share, in the same order: version needed, flags, method (STORED), time,
     * date, CRC-32, compressed and uncompressed size (0xFFFFFFFF when a Zip64 extra carries them), name length.
     */
    private void putEntryFields(ByteBuffer out, int i, boolean zip64Sizes) {
        Entry entry = entries.get(i);
        out.putShort((short) versionNeeded(i));
        out.putShort((short) UTF8_NAMES);
        out.putShort((short) 0); // STORED
        out.putShort((short) DOS_TIME);
        out.putShort((short) DOS_DATE);
        out.putInt(entry.crc32());
        out.putInt((int) (zip64Sizes ? MAGIC : entry.size())); // compressed size
        out.putInt((int) (zip64Sizes ? MAGIC : entry.size())); // uncompressed size
        out.putShort((short) names[i].length);
    }

    private byte[] centralHeader(int i) {
        Entry entry = entries.get(i);
        boolean zip64Sizes = zip64Sizes(i);
        boolean zip64Offset = zip64Offset(i);
        ByteBuffer out = buffer(centralHeaderLength(i));
        out.putInt(0x02014b50);
        out.putShort((short) ((UNIX << 8) | VERSION_ZIP64)); // version made by
        putEntryFields(out, i, zip64Sizes);
        out.putShort((short) centralExtraLength(i));
        out.putShort((short) 0); // comment length
        out.putShort((short) 0); // disk number start
        out.putShort((short) 0); // internal attributes
        out.putInt(REGULAR_FILE_0644 << 16); // external attributes: a regular file, rw-r--r--
        out.putInt((int) (zip64Offset ? MAGIC : localOffsets[i]));
        out.put(names[i]);
        if (zip64Sizes || zip64Offset) {
            // Only the fields set to 0xFFFFFFFF above, in this order (APPNOTE 4.5.3).
            out.putShort((short) 0x0001);
            out.putShort((short) ((zip64Sizes ? 16 : 0) + (zip64Offset ? 8 : 0)));
            if (zip64Sizes) {
                out.putLong(entry.size());
                out.putLong(entry.size());
            }
            if (zip64Offset) {
                out.putLong(localOffsets[i]);
            }
        }
        return out.array();
    }

    private byte[] endRecords() {
        int n = entries.size();
        long centralEnd = centralStart + centralSize;
        ByteBuffer out = buffer((int) (length - centralEnd));
        if (zip64End) {
            out.putInt(0x06064b50);
            out.putLong(ZIP64_END_RECORD - 12); // size of the rest of this record
            out.putShort((short) ((UNIX << 8) | VERSION_ZIP64));
            out.putShort((short) VERSION_ZIP64);
            out.putInt(0); // this disk
            out.putInt(0); // disk of the central directory
            out.putLong(n);
            out.putLong(n);
            out.putLong(centralSize);
            out.putLong(centralStart);
            out.putInt(0x07064b50);
            out.putInt(0); // disk of the Zip64 end record
            out.putLong(centralEnd); // where the Zip64 end record starts
            out.putInt(1); // disks in total
        }
        out.putInt(0x06054b50);
        out.putShort((short) 0);
        out.putShort((short) 0);
        out.putShort((short) Math.min(n, MAGIC_COUNT));
        out.putShort((short) Math.min(n, MAGIC_COUNT));
        out.putInt((int) Math.min(centralSize, MAGIC));
        out.putInt((int) Math.min(centralStart, MAGIC));
        out.putShort((short) 0); // comment length
        return out.array();
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
