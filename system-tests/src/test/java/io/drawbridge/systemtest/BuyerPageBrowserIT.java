package io.drawbridge.systemtest;

import static io.drawbridge.systemtest.Drawbridge.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.systemtest.Drawbridge.Link;
import io.drawbridge.systemtest.Drawbridge.StoredFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

/** The customer's side in a real browser: the link's page, the Download button, the file on disk, and what a used-up link shows. */
@ExtendWith({SystemUnderTest.class, Chromium.class})
class BuyerPageBrowserIT {

    private static final String MAC_SAFARI = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Version/17.5 Safari/605.1.15";

    @Test
    void aBuyerOpensTheLinkClicksDownloadAndGetsTheExactFileThenTheUsedUpLinkSaysSoWithoutAButton(
            Drawbridge drawbridge, Chromium chromium) throws Exception {
        byte[] content = Drawbridge.content(2 * 1024 * 1024 + 5, 41);
        StoredFile file = drawbridge.upload("browser-setup.dmg", content);
        Link link = drawbridge.issue(drawbridge.productWith(file), "browser-buyer@example.com", 1);
        String page = drawbridge.gateway() + "/d/" + link.token();

        Chromium.Window buyer = chromium.open(MAC_SAFARI).go(page);
        assertThat(buyer.text()).contains("browser-setup.dmg");
        buyer.find("button[type=submit]").click();

        Path saved = buyer.downloaded("browser-setup.dmg");
        assertThat(sha256(Files.readAllBytes(saved))).isEqualTo(file.sha256());
        await("the download is settled as the link's one use")
                .atMost(Chromium.PATIENCE)
                .until(() -> drawbridge.uses(link.tokenId()).get("consumed").asInt() == 1);

        Chromium.Window stranger = chromium.open(null).go(page);
        assertThat(stranger.text()).contains("No downloads left", "used as many times as it allows");
        assertThat(stranger.driver().findElements(By.cssSelector("button[type=submit]")))
                .as("no Download button on a used-up link")
                .isEmpty();
    }
}
