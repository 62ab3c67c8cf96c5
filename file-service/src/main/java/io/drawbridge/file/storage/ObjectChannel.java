package io.drawbridge.file.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * An object of known size as a read-only, seekable channel (what Tink's seekable decryption reads from). Reads go
 * through one ranged GET from the current position to the end, opened again only when the position jumps, so a
 * sequential read is one request. Blocking: use it on a bounded-elastic thread.
 */
public final class ObjectChannel implements SeekableByteChannel {

    private final ObjectStore store;
    private final String key;
    private final long size;
    private long position;
    private InputStream stream;
    private long streamPosition;
    private boolean open = true;

    public ObjectChannel(ObjectStore store, String key, long size) {
        this.store = store;
        this.key = key;
        this.size = size;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!open) {
            throw new IOException("closed");
        }
        if (position >= size) {
            return -1;
        }
        if (stream == null || streamPosition != position) {
            closeStream();
            stream = store.openAt(key, position);
            streamPosition = position;
        }
        int wanted = (int) Math.min(dst.remaining(), size - position);
        byte[] bytes = new byte[wanted];
        int n = stream.read(bytes, 0, wanted);
        if (n < 0) {
            throw new IOException("Object " + key + " ended at " + position + " of " + size);
        }
        dst.put(bytes, 0, n);
        position += n;
        streamPosition += n;
        return n;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) {
        this.position = newPosition;
        return this;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public SeekableByteChannel truncate(long newSize) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() throws IOException {
        open = false;
        closeStream();
    }

    private void closeStream() throws IOException {
        if (stream != null) {
            InputStream closing = stream;
            stream = null;
            closing.close();
        }
    }
}
