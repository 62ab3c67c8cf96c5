package io.drawbridge.token.mail.domain;

import io.drawbridge.token.config.LinkMailProperties;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Writes the link email in the seller's name: the same words as plain text (for clients that show no HTML, and for
 * spam filters that want both) and as simple, inline-styled HTML. Every link is shown with its expiry and its
 * download limit, so the customer knows what they have without clicking.
 */
@Component
public class LinkMailComposer {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern(
                    "d MMMM uuuu, HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private final LinkMailProperties properties;

    public LinkMailComposer(LinkMailProperties properties) {
        this.properties = properties;
    }

    public MailContent compose(LinkMail mail) {
        String seller = properties.sellerName();
        String subject = subject(mail);
        return new MailContent(
                messageId(properties.from()),
                properties.from(),
                seller,
                properties.supportAddress(),
                mail.recipient(),
                subject,
                text(mail),
                html(mail, subject));
    }

    private String subject(LinkMail mail) {
        String seller = properties.sellerName();
        if (mail.replacement()) {
            return "Your new download link from " + seller;
        }
        String what = mail.links().size() == 1 ? "Your download from " : "Your downloads from ";
        return what + seller + (mail.orderReference() == null ? "" : " (order " + mail.orderReference() + ")");
    }

    private String intro(LinkMail mail) {
        String seller = properties.sellerName();
        if (mail.replacement()) {
            return mail.links().size() == 1
                    ? "Here is a new link for your download from " + seller
                            + ". It replaces the link we sent before, which no longer works."
                    : "Here are new links for your downloads from " + seller
                            + ". They replace the links we sent before, which no longer work.";
        }
        String order = mail.orderReference() == null ? "" : " " + mail.orderReference();
        return "Thank you for your order" + order + " at " + seller + ". "
                + (mail.links().size() == 1 ? "Here is your download:" : "Here are your downloads:");
    }

    private String text(LinkMail mail) {
        StringBuilder text = new StringBuilder("Hello,\n\n").append(intro(mail)).append("\n\n");
        for (LinkMail.Link link : mail.links()) {
            text.append(link.title())
                    .append('\n')
                    .append(link.url())
                    .append('\n')
                    .append(terms(link))
                    .append("\n\n");
        }
        text.append("Each link is personal: anyone who has it can use its downloads, so please do not share it.\n")
                .append("Questions? Write to ")
                .append(properties.supportAddress())
                .append(".\n\n")
                .append(properties.sellerName())
                .append('\n');
        return text.toString();
    }

    private String html(LinkMail mail, String subject) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>")
                .append(escape(subject))
                .append("</title></head>\n<body style=\"font-family: sans-serif; color: #222; line-height: 1.5;\">\n")
                .append("<p>Hello,</p>\n<p>")
                .append(escape(intro(mail)))
                .append("</p>\n");
        for (LinkMail.Link link : mail.links()) {
            html.append("<p style=\"margin: 1.2em 0;\"><strong>")
                    .append(escape(link.title()))
                    .append("</strong><br>\n<a href=\"")
                    .append(escape(link.url()))
                    .append("\" style=\"display: inline-block; margin: 0.4em 0; padding: 0.5em 1em;")
                    .append(" background: #1f5fbf; color: #fff; text-decoration: none; border-radius: 4px;\">")
                    .append("Download</a><br>\n<small>")
                    .append(escape(terms(link)))
                    .append("<br>If the button does not work, copy this address: ")
                    .append(escape(link.url()))
                    .append("</small></p>\n");
        }
        html.append("<p>Each link is personal: anyone who has it can use its downloads, so please do not share it.")
                .append("<br>Questions? Write to <a href=\"mailto:")
                .append(escape(properties.supportAddress()))
                .append("\">")
                .append(escape(properties.supportAddress()))
                .append("</a>.</p>\n<p>")
                .append(escape(properties.sellerName()))
                .append("</p>\n</body></html>\n");
        return html.toString();
    }

    static String messageId(String from) {
        int at = from.lastIndexOf('@');
        String domain = at < 0 || at == from.length() - 1 ? "drawbridge.localhost" : from.substring(at + 1);
        return "<" + UUID.randomUUID() + ".links@" + domain + ">";
    }

    static String terms(LinkMail.Link link) {
        return "Valid until " + when(link.expiresAt()) + ", for up to " + link.maxDownloads()
                + (link.maxDownloads() == 1 ? " download." : " downloads.");
    }

    static String when(Instant instant) {
        return WHEN.format(instant);
    }

    static String escape(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
