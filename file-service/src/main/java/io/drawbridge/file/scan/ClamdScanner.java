package io.drawbridge.file.scan;

import io.drawbridge.file.config.FileProperties;
import io.drawbridge.file.files.domain.MalwareScanner;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * clamd over TCP with the INSTREAM command: the bytes go in length-prefixed chunks, a zero-length chunk ends them,
 * and clamd answers {@code stream: OK}, {@code stream: <signature> FOUND} or {@code ... ERROR}.
 */
public class ClamdScanner implements MalwareScanner {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_REPLY = 4096;

    private final FileProperties.Clamd clamd;
    private final int chunkSize;

    public ClamdScanner(FileProperties.Clamd clamd) {
        this.clamd = clamd;
        this.chunkSize =
                Math.toIntExact(Math.max(1024, Math.min(clamd.chunkSize().toBytes(), 8 * 1024 * 1024)));
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public Scan open() throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(clamd.host(), clamd.port()), (int) CONNECT_TIMEOUT.toMillis());
            socket.setSoTimeout(Math.toIntExact(clamd.timeout().toMillis()));
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.write("zINSTREAM\0".getBytes(StandardCharsets.US_ASCII));
            return new ClamdScan(socket, out);
        } catch (IOException e) {
            socket.close();
            throw new IOException(
                    "clamd at " + clamd.host() + ":" + clamd.port() + " unreachable: " + e.getMessage(), e);
        }
    }

    /** Parses clamd's reply to INSTREAM. */
    static Verdict verdict(String reply) throws IOException {
        String text = reply.strip();
        if (text.endsWith("OK")) {
            return Verdict.clean();
        }
        if (text.endsWith("FOUND")) {
            String body = text.substring(0, text.length() - "FOUND".length()).strip();
            int colon = body.indexOf(':');
            return Verdict.infected(colon < 0 ? body : body.substring(colon + 1).strip());
        }
        throw new IOException("clamd answered: " + text);
    }

    private final class ClamdScan implements Scan {
        private final Socket socket;
        private final DataOutputStream out;

        ClamdScan(Socket socket, DataOutputStream out) {
            this.socket = socket;
            this.out = out;
        }

        @Override
        public void send(byte[] bytes, int offset, int length) throws IOException {
            try {
                for (int at = offset; at < offset + length; at += chunkSize) {
                    int n = Math.min(chunkSize, offset + length - at);
                    out.writeInt(n);
                    out.write(bytes, at, n);
                }
            } catch (IOException e) {
                // clamd closes the stream when it is over StreamMaxLength; its reply says so.
                String reply = tryReadReply();
                throw new IOException(reply == null ? e.getMessage() : "clamd answered: " + reply, e);
            }
        }

        @Override
        public Verdict finish() throws IOException {
            out.writeInt(0);
            out.flush();
            return verdict(readReply());
        }

        private String tryReadReply() {
            try {
                return readReply();
            } catch (IOException e) {
                return null;
            }
        }

        private String readReply() throws IOException {
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) > 0 && reply.size() < MAX_REPLY) {
                reply.write(b);
            }
            if (reply.size() == 0) {
                throw new IOException("clamd closed the connection without an answer");
            }
            return reply.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing left to do with a socket that does not close
            }
        }
    }
}
