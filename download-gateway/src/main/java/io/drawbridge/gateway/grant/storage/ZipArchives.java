package io.drawbridge.gateway.grant.storage;

import io.drawbridge.events.GrantedItem;
import io.drawbridge.gateway.config.GatewayProperties;
import io.drawbridge.gateway.grant.domain.ByteRange;
import io.drawbridge.gateway.grant.domain.FileNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Streams several objects as one ZIP, in one of two ways.
 *
 * <p>When every item's CRC-32 is known, the archive is laid out before anything is read ({@link ZipLayout}: STORED
 * entries, exact length, strong ETag) and any byte range of it is streamed as its header bytes and ranged reads of
 * the objects, one after the other: resumable like a single file.
 *
 * <p>Otherwise (items granted before token-service carried CRCs) a writer on the bounded elastic scheduler copies
 * each object (read like a single file, with the same open and stall timeouts) into a {@link ZipOutputStream} whose
 * output is a bounded, back-pressured pipe to the response
 * ({@link DataBufferUtils#outputStreamPublisher}): the writer waits while the client is slow, and stops with an
 * exception as soon as the client goes away. Entries are deflated (sizes and CRCs follow each entry), so the
 * archive's length is unknown up front: no Content-Length and no Range.
 */
@Component
public class ZipArchives {

    private static final Pattern CRC32 = Pattern.compile("[0-9a-fA-F]{8}");

    private final ObjectStorage storage;
    private final int compressionLevel;

    ZipArchives(ObjectStorage storage, GatewayProperties properties) {
        this.storage = storage;
        this.compressionLevel = properties.zip().compressionLevel();
    }

    /**
     * The laid-out archive of {@code items}, or empty when one of them has no (well-formed) CRC-32 and the archive
     * can only be streamed by {@link #stream(List, DataBufferFactory)}.
     */
    public Optional<ZipLayout> layout(List<GrantedItem> items) {
        List<ZipLayout.Entry> entries = new ArrayList<>(items.size());
        for (GrantedItem item : items) {
            if (item.crc32() == null || !CRC32.matcher(item.crc32()).matches()) {
                return Optional.empty();
            }
            entries.add(new ZipLayout.Entry(
                    item.name(),
                    item.objectKey(),
                    item.size(),
                    Integer.parseUnsignedInt(item.crc32(), 16),
                    item.sha256()));
        }
        return Optional.of(ZipLayout.of(entries));
    }

    /** The objects a byte range of the archive reads from: the ones to check before the response starts. */
    public List<String> objectsIn(ZipLayout layout, ByteRange range) {
        return layout.segments(range.start(), range.length())
                .filter(ZipLayout.Slice.class::isInstance)
                .map(segment -> ((ZipLayout.Slice) segment).objectKey())
                .distinct()
                .toList();
    }

    /**
     * Bytes {@code range} of the laid-out archive: header bytes as they are, each object slice as a ranged,
     * non-blocking read from S3 (back-pressured), one segment after the other. Any failure after the
     * response started is a storage failure: the client going away cancels instead.
     */
    public Flux<DataBuffer> stream(ZipLayout layout, ByteRange range, DataBufferFactory buffers) {
        return Flux.fromStream(() -> layout.segments(range.start(), range.length()))
                .concatMap(
                        segment -> segment instanceof ZipLayout.Slice slice
                                ? slice(slice)
                                : Mono.fromSupplier(() -> buffers.wrap(((ZipLayout.Literal) segment).bytes())),
                        1)
                .onErrorMap(
                        e -> !(e instanceof StorageReadFailed), e -> new StorageReadFailed("ZIP segment failed", e));
    }

    /** One object slice as a ranged, non-blocking read (an empty file has nothing to read). */
    private Flux<DataBuffer> slice(ZipLayout.Slice slice) {
        return slice.length() == 0
                ? Flux.empty()
                : storage.open(slice.objectKey(), slice.offset(), slice.length())
                        .flatMapMany(body -> body);
    }

    public Flux<DataBuffer> stream(List<GrantedItem> items, DataBufferFactory buffers) {
        return Flux.from(DataBufferUtils.outputStreamPublisher(
                        out -> write(items, out),
                        buffers,
                        task -> Schedulers.boundedElastic().schedule(task),
                        storage.bufferSize()))
                // The pipe only errors when the writer fails: the client going away cancels it instead.
                .onErrorMap(e -> !(e instanceof StorageReadFailed), e -> new StorageReadFailed("ZIP writer failed", e));
    }

    private void write(List<GrantedItem> items, OutputStream out) {
        try {
            ZipOutputStream zip = new ZipOutputStream(out);
            zip.setLevel(compressionLevel);
            byte[] buffer = new byte[storage.bufferSize()];
            Set<String> names = new HashSet<>();
            for (GrantedItem item : items) {
                ZipEntry entry = new ZipEntry(ZipLayout.uniqueName(FileNames.safe(item.name()), names));
                zip.putNextEntry(entry);
                try (InputStream in = storage.openBlocking(item.objectKey(), item.size())) {
                    copy(in, zip, buffer, item.objectKey());
                }
                zip.closeEntry();
            }
            zip.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(InputStream in, OutputStream out, byte[] buffer, String objectKey) throws IOException {
        while (true) {
            int n;
            try {
                n = in.read(buffer);
            } catch (IOException e) {
                throw new StorageReadFailed("reading " + objectKey + " failed", e);
            }
            if (n < 0) {
                return;
            }
            out.write(buffer, 0, n);
        }
    }
}
