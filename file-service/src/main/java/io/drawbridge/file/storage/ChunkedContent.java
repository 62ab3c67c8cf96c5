package io.drawbridge.file.storage;

import java.util.ArrayList;
import java.util.List;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Cuts a request body ({@code Flux<DataBuffer>}) into parts of a fixed size for S3 multipart uploads, releasing every
 * buffer as soon as it is copied: one upload holds at most a few parts, never the whole file.
 */
public final class ChunkedContent {

    /** Netty buffers arrive in pieces of a few KiB; this many may wait to be copied. */
    private static final int BUFFER_PREFETCH = 32;

    private ChunkedContent() {}

    /**
     * @param content the bytes, in order; each buffer is released here
     * @param partSize the size of every chunk but the last
     * @param sink sees every byte as it is copied; an exception from it ends the stream with that error
     */
    public static Flux<Chunk> split(Flux<DataBuffer> content, int partSize, ByteSink sink) {
        return Flux.defer(() -> {
            var splitter = new Splitter(partSize, sink);
            return content.concatMap(splitter::take, BUFFER_PREFETCH)
                    .concatWith(Mono.fromSupplier(splitter::rest))
                    .doOnDiscard(DataBuffer.class, DataBufferUtils::release);
        });
    }

    private static final class Splitter {
        private final int partSize;
        private final ByteSink sink;
        private byte[] current;
        private int filled;

        Splitter(int partSize, ByteSink sink) {
            this.partSize = partSize;
            this.sink = sink;
        }

        /** Never throws: a failure (of the sink) becomes an error signal, after the buffer is released once. */
        Flux<Chunk> take(DataBuffer buffer) {
            try {
                List<Chunk> full = List.of();
                while (buffer.readableByteCount() > 0) {
                    if (current == null) {
                        current = new byte[partSize];
                        filled = 0;
                    }
                    int n = Math.min(buffer.readableByteCount(), partSize - filled);
                    buffer.read(current, filled, n);
                    sink.accept(current, filled, n);
                    filled += n;
                    if (filled == partSize) {
                        if (full.isEmpty()) {
                            full = new ArrayList<>(1);
                        }
                        full.add(new Chunk(current, filled, false));
                        current = null;
                    }
                }
                return Flux.fromIterable(full);
            } catch (RuntimeException e) {
                return Flux.error(e);
            } finally {
                DataBufferUtils.release(buffer);
            }
        }

        Chunk rest() {
            Chunk last = current == null ? new Chunk(new byte[0], 0, true) : new Chunk(current, filled, true);
            current = null;
            return last;
        }
    }
}
