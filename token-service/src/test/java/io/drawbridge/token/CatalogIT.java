package io.drawbridge.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drawbridge.events.DownloadDenied;
import io.drawbridge.events.DownloadGranted;
import io.drawbridge.events.FileDeleted;
import io.drawbridge.events.ReleasePublished;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The catalog read model, built from file-service's events, decides what a product link delivers. */
class CatalogIT extends TokenServiceTestBase {

    @Test
    void productLinkDeliversTheCurrentReleaseAtRedemptionTime() {
        String sku = unique("app");
        UUID v1Windows = storeFile("app-1.0.exe", 100);
        UUID v1Mac = storeFile("app-1.0.dmg", 100);
        publishRelease(sku, "1.0", Map.of("windows", List.of(v1Windows), "macos", List.of(v1Mac)));
        String token =
                (String) issue(Map.of("customer_email", "update@example.com", "product", sku, "platform", "windows"))
                        .get("token");

        UUID v2Windows = storeFile("app-2.0.exe", 120);
        UUID v2Any = storeFile("app-2.0-manual.pdf", 5);
        publishRelease(sku, "2.0", Map.of("windows", List.of(v2Windows), "any", List.of(v2Any)));

        DownloadGranted windows = granted(redeem(token, "ua-windows"));
        assertThat(windows.items()).extracting(item -> item.fileId()).containsExactly(v2Windows);
        DownloadGranted linux = granted(redeem(request(token, "203.0.113.5", "ua-linux", "linux", null)));
        assertThat(linux.items()).extracting(item -> item.fileId()).containsExactly(v2Any);
    }

    @Test
    void anOlderReleaseArrivingLateDoesNotReplaceTheCurrentOne() {
        String sku = unique("app");
        UUID newer = storeFile("new.bin", 1);
        UUID older = storeFile("old.bin", 1);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        publisher
                .publish(new ReleasePublished(
                        sku, "App", UUID.randomUUID(), "2.0", null, Map.of("any", List.of(newer)), now))
                .block(KAFKA);
        UUID late = UUID.randomUUID();
        publisher
                .publish(new ReleasePublished(
                        sku, "App", late, "1.0", null, Map.of("any", List.of(older)), now.minusSeconds(3600)))
                .block(KAFKA);
        await().atMost(KAFKA)
                .until(() -> count("SELECT count(*) FROM catalog_release WHERE release_id = :id", late) == 1);
        String token = (String)
                issue(Map.of("customer_email", "x@example.com", "product", sku)).get("token");

        assertThat(granted(redeem(token, "ua")).items())
                .extracting(item -> item.fileId())
                .containsExactly(newer);
    }

    @Test
    void deletedFileIsNoLongerDelivered() {
        String sku = unique("gone");
        UUID fileId = productWithOneFile(sku, 10);
        String token = (String)
                issue(Map.of("customer_email", "g@example.com", "product", sku)).get("token");

        publisher
                .publish(new FileDeleted(fileId, "files/" + fileId, Instant.now()))
                .block(KAFKA);
        await().atMost(KAFKA)
                .until(() -> count(
                                "SELECT count(*) FROM catalog_file WHERE file_id = :id AND deleted_at IS NOT NULL",
                                fileId)
                        == 1);

        assertThat(redeem(token, "ua"))
                .isInstanceOfSatisfying(DownloadDenied.class, denied -> assertThat(denied.reason())
                        .isEqualTo("file_not_found"));
    }
}
