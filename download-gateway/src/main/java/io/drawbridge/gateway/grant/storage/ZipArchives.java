package io.drawbridge.gateway.grant.storage;

import io.drawbridge.events.GrantedItem;
import io.drawbridge.gateway.config.GatewayProperties;
import io.drawbridge.gateway.grant.domain.FileNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Streams several objects as one ZIP. A writer on the bounded elastic scheduler copies each object into a
 * {@link ZipOutputStream} whose output is a bounded, back-pressured pipe to the response
 * ({@link DataBufferUtils#outputStreamPublisher}): the writer waits while the client is slow, and stops with an
 * exception as soon as the client goes away. Entries are deflated (sizes and CRCs follow each entry), so the
 * archive's length is unknown up front: no Content-Length and no Range.
 */
@Component
public class ZipArchives {

    private final ObjectStorage storage;
    private final int compressionLevel;

    ZipArchives(ObjectStorage storage, GatewayProperties properties) {
        this.storage = storage;
        this.compressionLevel = properties.zip().compressionLevel();
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
                ZipEntry entry = new ZipEntry(uniqueName(FileNames.safe(item.name()), names));
                zip.putNextEntry(entry);
                try (InputStream in = storage.openBlocking(item.objectKey(), 0, -1)) {
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

    /** ZIP entry names must be unique; a second "setup.exe" becomes "setup (2).exe". */
    static String uniqueName(String name, Set<String> taken) {
        String candidate = name;
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        for (int n = 2; !taken.add(candidate.toLowerCase()); n++) {
            candidate = stem + " (" + n + ")" + extension;
        }
        return candidate;
    }
}
