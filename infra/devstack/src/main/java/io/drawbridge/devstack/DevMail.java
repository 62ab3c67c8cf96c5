package io.drawbridge.devstack;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.mail.MailAddress;
import com.icegreen.greenmail.mail.MovingMessage;
import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A real SMTP server (GreenMail) on loopback that keeps every message, so that the link emails token-service sends
 * can be read without any mail account: each delivered copy is written to {@code <dir>/<time>-<recipient>.eml}
 * (opens in any mail client) and announced with one line, and the mailboxes can be read over IMAP (user = the
 * recipient address, any password). Used by {@code bin/dev} and the system tests alike.
 */
public final class DevMail implements AutoCloseable {

    static final String HOST = "127.0.0.1";
    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss.SSS", Locale.ROOT).withZone(ZoneId.systemDefault());

    private final GreenMail greenMail;
    private final Path directory;
    private final Consumer<Received> notices;

    /**
     * One delivered copy.
     *
     * @param file the {@code .eml} file, or null when it could not be written
     */
    public record Received(String to, String subject, Path file) {}

    private DevMail(GreenMail greenMail, Path directory, Consumer<Received> notices) {
        this.greenMail = greenMail;
        this.directory = directory;
        this.notices = notices;
    }

    /**
     * Starts SMTP and IMAP on {@code 127.0.0.1} (port 0 = any free port).
     *
     * @param directory where each received message is written as an {@code .eml} file
     * @param notices told of every delivered copy, e.g. to print a line on the console
     */
    public static DevMail start(int smtpPort, int imapPort, Path directory, Consumer<Received> notices)
            throws IOException {
        Files.createDirectories(directory);
        ServerSetup smtp = setup(smtpPort, ServerSetup.PROTOCOL_SMTP);
        ServerSetup imap = setup(imapPort, ServerSetup.PROTOCOL_IMAP);
        GreenMail greenMail = new GreenMail(new ServerSetup[] {smtp, imap})
                .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        DevMail mail = new DevMail(greenMail, directory, notices);
        UserManager users = greenMail.getUserManager();
        MessageDeliveryHandler delivery = users.getMessageDeliveryHandler();
        users.setMessageDeliveryHandler((message, recipient) -> {
            var user = delivery.handle(message, recipient);
            mail.keep(message, recipient);
            return user;
        });
        greenMail.start();
        return mail;
    }

    public String host() {
        return HOST;
    }

    public int smtpPort() {
        return greenMail.getSmtp().getPort();
    }

    public int imapPort() {
        return greenMail.getImap().getPort();
    }

    public Path directory() {
        return directory;
    }

    /** Every message received so far (one per recipient), oldest first. */
    public List<MimeMessage> received() {
        return List.of(greenMail.getReceivedMessages());
    }

    /** The messages addressed to {@code address} (case-insensitive), oldest first. */
    public List<MimeMessage> receivedBy(String address) {
        List<MimeMessage> messages = new ArrayList<>();
        for (MimeMessage message : greenMail.getReceivedMessages()) {
            try {
                Address[] to = message.getRecipients(Message.RecipientType.TO);
                if (to != null
                        && Arrays.stream(to).anyMatch(a -> a.toString()
                                .toLowerCase(Locale.ROOT)
                                .contains(address.toLowerCase(Locale.ROOT)))) {
                    messages.add(message);
                }
            } catch (MessagingException e) {
                throw new IllegalStateException("unreadable message in the dev mailbox", e);
            }
        }
        return messages;
    }

    @Override
    public void close() {
        greenMail.stop();
    }

    private static ServerSetup setup(int port, String protocol) {
        ServerSetup setup = new ServerSetup(port, HOST, protocol);
        return port == 0 ? setup.dynamicPort() : setup;
    }

    /** Writes the copy for one recipient and announces it; a failure to write never refuses the message. */
    private void keep(MovingMessage message, MailAddress recipient) {
        String to = recipient.getEmail();
        String subject;
        try {
            subject = String.valueOf(message.getMessage().getSubject());
        } catch (MessagingException e) {
            subject = "(no subject)";
        }
        String stem = FILE_TIME.format(ZonedDateTime.now()) + "-" + to.replaceAll("[^A-Za-z0-9@._+-]", "_");
        Path file;
        try {
            file = write(stem, message.getMessage());
        } catch (IOException | MessagingException e) {
            file = null;
        }
        notices.accept(new Received(to, subject, file));
    }

    private Path write(String stem, MimeMessage message) throws IOException, MessagingException {
        for (int attempt = 0; ; attempt++) {
            Path file = directory.resolve(stem + (attempt == 0 ? "" : "-" + attempt) + ".eml");
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW)) {
                message.writeTo(out);
                return file;
            } catch (FileAlreadyExistsException taken) {
                // Two copies in the same millisecond: try the next suffix.
            }
        }
    }
}
