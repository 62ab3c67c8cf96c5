package io.drawbridge.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * The script API of one-time shares through the gateway, black box: link scanners (GET and HEAD of the page, GET of
 * the JSON) leave a share readable; one read, then 410 {@code share_gone}; a HEAD of the download spends nothing; a
 * partial download does not burn a file share, a resumed one does.
 */
@ExtendWith(SystemUnderTest.class)
class ShareApiIT {

    @Test
    void scannersGetAndHeadLeaveATextReadableAndItsOneReadMakesItGone(Drawbridge drawbridge) {
        String secret = "token=" + UUID.randomUUID();
        JsonNode created = create(drawbridge, "text", secret.getBytes(StandardCharsets.UTF_8), null);
        assertThat(created.get("max_reads").asInt()).isEqualTo(1);
        String link = created.get("link").asString();
        String token = link.substring(link.lastIndexOf('/') + 1);

        for (int i = 0; i < 10; i++) {
            for (String method : new String[] {"GET", "HEAD"}) {
                HttpResponse<String> page = drawbridge.send(HttpRequest.newBuilder(URI.create(link))
                        .header("User-Agent", "Slackbot-LinkExpanding 1.0")
                        .method(method, HttpRequest.BodyPublishers.noBody()));
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.body()).doesNotContain(secret);
            }
            assertThat(drawbridge
                            .send(HttpRequest.newBuilder(URI.create(drawbridge.gateway() + "/api/v1/shares/" + token)))
                            .statusCode())
                    .isEqualTo(200);
        }

        HttpResponse<String> read = read(drawbridge, token);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(Drawbridge.json(read).get("text").asString()).isEqualTo(secret);

        HttpResponse<String> again = read(drawbridge, token);
        assertThat(again.statusCode()).isEqualTo(410);
        assertThat(again.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(Drawbridge.json(again).get("error").asString()).isEqualTo("share_gone");
        assertThat(drawbridge.send(HttpRequest.newBuilder(URI.create(link))).statusCode())
                .isEqualTo(410);
        assertThat(Drawbridge.json(read(drawbridge, "sh_" + "x".repeat(43)))
                        .get("error")
                        .asString())
                .isEqualTo("invalid_token");
    }

    @Test
    void aBrokenOffDownloadDoesNotBurnAFileShareAndTheResumedOneDoes(Drawbridge drawbridge) throws Exception {
        byte[] content = Drawbridge.content(3 * 1024 * 1024 + 17, 5);
        String link =
                create(drawbridge, "file", content, "notes.bin").get("link").asString();
        String token = link.substring(link.lastIndexOf('/') + 1);
        JsonNode grant = Drawbridge.json(read(drawbridge, token));
        assertThat(grant.get("sha256").asString()).isEqualTo(Drawbridge.sha256(content));
        URI download = URI.create(grant.get("download_url").asString());

        HttpResponse<String> head =
                drawbridge.send(HttpRequest.newBuilder(download).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.statusCode()).isEqualTo(200);

        // The first 1 MiB only (a Range), as a download that broke off would have it: the share stays.
        HttpResponse<byte[]> first = drawbridge
                .http()
                .send(
                        HttpRequest.newBuilder(download)
                                .header("Range", "bytes=0-1048575")
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(first.statusCode()).isEqualTo(206);
        assertThat(drawbridge.send(HttpRequest.newBuilder(URI.create(link))).statusCode())
                .isEqualTo(200);

        HttpResponse<byte[]> rest = drawbridge
                .http()
                .send(
                        HttpRequest.newBuilder(download)
                                .header("Range", "bytes=1048576-")
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(rest.statusCode()).isEqualTo(206);
        byte[] whole = new byte[content.length];
        System.arraycopy(first.body(), 0, whole, 0, first.body().length);
        System.arraycopy(rest.body(), 0, whole, first.body().length, rest.body().length);
        assertThat(Drawbridge.sha256(whole)).isEqualTo(Drawbridge.sha256(content));

        org.awaitility.Awaitility.await("the share is gone once every byte was delivered")
                .atMost(Chromium.PATIENCE)
                .until(() -> drawbridge
                                .send(HttpRequest.newBuilder(URI.create(link)))
                                .statusCode()
                        == 410);
    }

    private static JsonNode create(Drawbridge drawbridge, String field, byte[] content, String filename) {
        String boundary = "share" + UUID.randomUUID();
        String disposition = filename == null
                ? "form-data; name=\"" + field + "\""
                : "form-data; name=\"" + field + "\"; filename=\"" + filename + "\"";
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: " + disposition + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + content.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(content, 0, body, head.length, content.length);
        System.arraycopy(tail, 0, body, head.length + content.length, tail.length);
        HttpResponse<String> response =
                drawbridge.send(HttpRequest.newBuilder(URI.create(drawbridge.gateway() + "/api/v1/shares"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return Drawbridge.json(response);
    }

    private static HttpResponse<String> read(Drawbridge drawbridge, String token) {
        return drawbridge.send(HttpRequest.newBuilder(URI.create(drawbridge.gateway() + "/api/v1/shares/read"))
                .header("Content-Type", "application/json")
                .POST(Drawbridge.body(Map.of("token", token))));
    }
}
