package io.drawbridge.token;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.List;

/**
 * A real SMTP server (GreenMail) on a free loopback port, one per test JVM, that tests can stop and start again on
 * the same port to play an SMTP outage. It keeps what it received until it is stopped.
 */
final class TestSmtp {

    static final String HOST = "127.0.0.1";
    static final int PORT = freePort();
    private static GreenMail server = started();

    private TestSmtp() {}

    static synchronized void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    static synchronized void start() {
        if (server == null) {
            server = started();
        }
    }

    /** Messages received (since the server last started) with {@code recipient} among their recipients. */
    static synchronized List<MimeMessage> to(String recipient) {
        if (server == null) {
            return List.of();
        }
        return Arrays.stream(server.getReceivedMessages())
                .filter(message -> addressedTo(message, recipient))
                .toList();
    }

    private static boolean addressedTo(MimeMessage message, String recipient) {
        try {
            Address[] all = message.getAllRecipients();
            return all != null
                    && Arrays.stream(all).anyMatch(address -> address.toString().equalsIgnoreCase(recipient));
        } catch (MessagingException e) {
            return false;
        }
    }

    private static GreenMail started() {
        GreenMail mail = new GreenMail(new ServerSetup(PORT, HOST, ServerSetup.PROTOCOL_SMTP));
        mail.start();
        return mail;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
