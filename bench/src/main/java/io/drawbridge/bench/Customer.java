package io.drawbridge.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * One customer's redeem request ({@code POST /api/v1/downloads}) over its own connection from its own loopback address.
 *
 * <p>Why not {@code java.net.http.HttpClient}: on Java 17 it cannot choose the local address, and the gateway limits
 * requests per client address (20, then one per 3 s). Thousands of customers from 127.0.0.1 would measure that limiter,
 * not redemption. Linux routes all of 127.0.0.0/8 to loopback, so each simulated customer gets an address of its own
 * (see {@link SourceAddresses}), as real customers have.
 *
 * <p>The exchange is split so a race can connect every client first and release all requests at once.
 */
final class Customer implements AutoCloseable {

    private final URI gateway;
    private final Socket socket;

    private Customer(URI gateway, Socket socket) {
        this.gateway = gateway;
        this.socket = socket;
    }

    /** The outcome of one redeem: {@code granted}, a problem {@code error} code, {@code http_<status>} or io_error. */
    record Reply(int status, String outcome, String body) {
        boolean granted() {
            return outcome.equals("granted");
        }
    }

    /** Connects to the gateway from {@code from}. */
    static Customer connect(URI gateway, InetAddress from, int timeoutMillis) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(timeoutMillis);
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress(gateway.getHost(), gateway.getPort()), timeoutMillis);
            return new Customer(gateway, socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends the redeem request and reads the whole answer (the connection is closed after it). */
    Reply redeem(String token, String userAgent) throws IOException {
        byte[] body = ("{\"download_token\":\"" + token + "\"}").getBytes(StandardCharsets.UTF_8);
        String head = "POST /api/v1/downloads HTTP/1.1\r\n"
                + "Host: " + gateway.getHost() + ":" + gateway.getPort() + "\r\n"
                + "User-Agent: " + userAgent + "\r\n"
                + "Accept: application/json\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Connection: close\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return parse(readAll(socket.getInputStream()));
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    /** A response's status line and headers, up to the blank line (or all there was, when the stream ends first). */
    static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            head.append((char) c);
            if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4) {
                break;
            }
        }
        return head.toString();
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream(1024);
        byte[] buffer = new byte[4096];
        int read;
        while ((read = in.read(buffer)) != -1) {
            all.write(buffer, 0, read);
        }
        return all.toByteArray();
    }

    static Reply parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || end < 0) {
            return new Reply(0, "malformed_response", text);
        }
        int status = Integer.parseInt(text.substring(9, 12));
        String headers = text.substring(0, end).toLowerCase(Locale.ROOT);
        String body = text.substring(end + 4);
        if (headers.contains("\ntransfer-encoding: chunked")) {
            body = dechunk(body);
        }
        body = new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        return new Reply(status, outcome(status, body), body);
    }

    private static String outcome(int status, String body) {
        try {
            JsonNode json = AdminApi.JSON.readTree(body);
            if (status == 200 && json.hasNonNull("download_url")) {
                return "granted";
            }
            if (json.hasNonNull("error")) {
                return json.path("error").asString();
            }
        } catch (RuntimeException e) {
            // not JSON: fall through
        }
        return "http_" + status;
    }

    private static String dechunk(String body) {
        StringBuilder out = new StringBuilder();
        int position = 0;
        while (position < body.length()) {
            int lineEnd = body.indexOf("\r\n", position);
            if (lineEnd < 0) {
                break;
            }
            String sizeText = body.substring(position, lineEnd).trim();
            int semicolon = sizeText.indexOf(';');
            int size = Integer.parseInt(semicolon < 0 ? sizeText : sizeText.substring(0, semicolon), 16);
            if (size == 0) {
                break;
            }
            out.append(body, lineEnd + 2, Math.min(body.length(), lineEnd + 2 + size));
            position = lineEnd + 2 + size + 2;
        }
        return out.toString();
    }
}
