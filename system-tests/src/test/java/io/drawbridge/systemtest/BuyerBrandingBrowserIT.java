package io.drawbridge.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.systemtest.Drawbridge.Link;
import io.drawbridge.systemtest.Drawbridge.StoredFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * A product's branding, set in the console, on the buyer's page in a real Chromium: a German-speaking Mac buyer sees
 * the product's name, accent and support address, every word in German, macOS preselected, and can reach the
 * Download button with the keyboard and see where the focus is.
 */
@ExtendWith({SystemUnderTest.class, Chromium.class})
class BuyerBrandingBrowserIT {

    private static final String MAC_CHROME = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36"
            + " (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    @Test
    void aSellerBrandsAProductInTheConsoleAndAGermanMacBuyerSeesItInGermanWithMacosPreselected(
            Drawbridge drawbridge, Chromium chromium) throws Exception {
        Map<String, StoredFile> builds = new LinkedHashMap<>();
        builds.put("windows", drawbridge.upload("branded-setup.exe", Drawbridge.content(4096, 51)));
        builds.put("macos", drawbridge.upload("branded.dmg", Drawbridge.content(8192, 52)));
        String sku = drawbridge.productWithBuilds(builds);
        String console = drawbridge.stack().url("console");

        Chromium.Window seller = chromium.open(null).go(console + "/login");
        seller.find("#username").sendKeys(drawbridge.stack().consoleUser());
        seller.find("#password").sendKeys(drawbridge.stack().consolePassword());
        seller.find("#sign-in").click();
        await("signed in").atMost(Chromium.PATIENCE).until(() -> seller.text().contains("Sign out"));
        seller.go(console + "/releases");
        seller.find("#brand-" + sku).click();

        // A colour white text cannot be read on is refused with the reason; nothing is saved.
        seller.find("input[name=display_name]").sendKeys("Branded <Studio>");
        seller.find("input[name=accent_colour]").sendKeys("#ffd700");
        seller.find("input[name=support_email]").sendKeys("hilfe@branded.example");
        seller.find("#save-branding").click();
        assertThat(seller.find("#branding-error").getText()).contains("accent_colour", "4.5:1");
        WebElement accent = seller.find("input[name=accent_colour]");
        accent.clear();
        accent.sendKeys("#0b5394");
        seller.find("#save-branding").click();
        assertThat(seller.find("#branding-saved").getText()).contains("Saved");
        picture(seller, "branding");

        Link link = drawbridge.issue(sku, "german-buyer@example.com", 2);
        Chromium.Window buyer = chromium.open(MAC_CHROME, "de-DE,de;q=0.9,en;q=0.5");
        // token-service learns the branding from file-service's event: the page shows it once it has.
        await("the landing page shows the product's branding")
                .atMost(Chromium.PATIENCE)
                .until(() -> buyer.go(drawbridge.gateway() + "/d/" + link.token())
                        .text()
                        .contains("Branded <Studio>"));

        assertThat(buyer.driver().findElement(By.tagName("html")).getDomAttribute("lang"))
                .isEqualTo("de");
        assertThat(buyer.text())
                .contains("Verbleibende Downloads", "branded.dmg", "Fragen? Schreiben Sie an hilfe@branded.example")
                .doesNotContain("Downloads left");
        Select platform = new Select(buyer.find("#platform"));
        assertThat(platform.getFirstSelectedOption().getDomAttribute("value")).isEqualTo("macos");
        assertThat(platform.getOptions()).extracting(WebElement::getText).contains("Alle Dateien");
        WebElement download = buyer.find("button[type=submit]");
        assertThat(download.getText()).isEqualTo("Herunterladen");
        assertThat(download.getCssValue("background-color")).isEqualTo("rgba(11, 83, 148, 1)");
        picture(buyer, "buyer-page-branded");

        // Keyboard only: Tab from the platform choice reaches the button, and its focus ring is drawn.
        platform.getWrappedElement().sendKeys(Keys.TAB);
        WebElement focused = buyer.driver().switchTo().activeElement();
        assertThat(focused.getText()).isEqualTo("Herunterladen");
        assertThat(focused.getCssValue("outline-style")).isEqualTo("solid");
        assertThat(focused.getCssValue("outline-width")).isEqualTo("3px");
        assertThat(focused.getCssValue("outline-color")).isEqualTo("rgba(27, 31, 36, 1)");
        focused.sendKeys(Keys.ENTER);
        Path saved = buyer.downloaded("branded.dmg");
        assertThat(Files.size(saved)).isEqualTo(8192);
    }

    private static void picture(Chromium.Window window, String name) throws Exception {
        Path folder = Path.of("target", "browser", "screenshots");
        Files.createDirectories(folder);
        Files.write(folder.resolve(name + ".png"), window.driver().getScreenshotAs(OutputType.BYTES));
    }
}
