package io.drawbridge.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevMailTest {

    @TempDir
    Path dir;

    @Test
    void everyMessageSentOverSmtpIsKeptAsAnEmlFileAndAnnounced() throws Exception {
        List<DevMail.Received> notices = new CopyOnWriteArrayList<>();
        try (DevMail mail = DevMail.start(0, 0, dir.resolve("mail"), notices::add)) {
            Properties smtp = new Properties();
            smtp.put("mail.smtp.host", mail.host());
            smtp.put("mail.smtp.port", Integer.toString(mail.smtpPort()));
            MimeMessage message = new MimeMessage(Session.getInstance(smtp));
            message.setFrom(new InternetAddress("downloads@drawbridge.localhost"));
            message.setRecipient(Message.RecipientType.TO, new InternetAddress("buyer@example.com"));
            message.setSubject("Your download is ready");
            message.setText("https://downloads.example/d/dl_x");
            Transport.send(message);

            // Transport.send returns once the server accepted the message, after delivery.
            assertThat(notices).singleElement().satisfies(notice -> {
                assertThat(notice.to()).isEqualTo("buyer@example.com");
                assertThat(notice.subject()).isEqualTo("Your download is ready");
                assertThat(notice.file().getParent()).isEqualTo(dir.resolve("mail"));
                assertThat(notice.file().getFileName().toString()).endsWith("-buyer@example.com.eml");
                assertThat(Files.readString(notice.file()))
                        .contains("Subject: Your download is ready", "https://downloads.example/d/dl_x");
            });
            assertThat(mail.receivedBy("BUYER@example.com")).hasSize(1);
            assertThat(mail.receivedBy("someone@example.com")).isEmpty();
        }
    }
}
