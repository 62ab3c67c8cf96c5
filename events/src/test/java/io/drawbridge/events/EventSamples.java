package io.drawbridge.events;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One fully populated sample per event type: the source of the golden JSON files. */
final class EventSamples {

    static final UUID REQUEST_ID = UUID.fromString("0b8f4c1e-6a43-4c53-9a59-1e8f3f1d2a01");
    static final UUID TOKEN_ID = UUID.fromString("5e0c2a9b-3f7d-4a8e-b1c6-7d2e9f4a6b02");
    static final UUID GRANT_ID = UUID.fromString("9a1d7e3c-2b4f-4c8a-8e6d-3f5b1c7a9d03");
    static final UUID FILE_ID = UUID.fromString("c3e5a7b9-1d2f-4e6a-9b8c-5d7f9e1a3b04");
    static final UUID FILE_ID_2 = UUID.fromString("d4f6b8ca-2e3a-4f7b-8c9d-6e8a0f2b4c05");
    static final UUID RELEASE_ID = UUID.fromString("e5a7c9db-3f4b-4a8c-9dae-7f9b1a3c5d06");
    static final UUID SHARE_ID = UUID.fromString("f6b8daec-4a5c-4b9d-8ebf-8a0c2b4d6e07");
    static final UUID ERASURE_ID = UUID.fromString("a7c9ebfd-5b6d-4cae-9fc0-9b1d3c5e7f08");
    static final String TOKEN_HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private EventSamples() {}

    static Map<String, Event> all() {
        Map<String, Event> samples = new LinkedHashMap<>();
        for (Event event : List.of(
                new DownloadRequested(
                        REQUEST_ID,
                        TOKEN_HASH,
                        "linux",
                        "buyer@example.com",
                        "203.0.113.7",
                        "curl/8.5.0",
                        "gateway-7f9c",
                        Instant.parse("2025-03-01T10:15:30Z"),
                        Instant.parse("2025-03-01T10:15:33Z")),
                new DownloadGranted(
                        REQUEST_ID,
                        TOKEN_ID,
                        GRANT_ID,
                        List.of(new GrantedItem(
                                FILE_ID,
                                "files/c3e5a7b9/app-1.2.0-linux.tar.gz",
                                "app-1.2.0-linux.tar.gz",
                                104857600L,
                                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                                "application/gzip",
                                "linux",
                                "1c291ca3")),
                        Instant.parse("2025-03-01T10:30:30Z"),
                        2,
                        null,
                        false),
                new DownloadDenied(
                        REQUEST_ID, TOKEN_ID, DenialReasons.TOKEN_EXPIRED, "The link expired on 2025-02-28."),
                new DownloadCompleted(
                        GRANT_ID,
                        TOKEN_ID,
                        FILE_ID,
                        0L,
                        104857600L,
                        104857600L,
                        "linux",
                        "203.0.113.7",
                        "curl/8.5.0",
                        Instant.parse("2025-03-01T10:15:31Z"),
                        Instant.parse("2025-03-01T10:17:02.250Z")),
                new DownloadFailed(
                        GRANT_ID,
                        TOKEN_ID,
                        null,
                        0L,
                        52428800L,
                        209715200L,
                        null,
                        "203.0.113.7",
                        "Mozilla/5.0 (X11; Linux x86_64)",
                        Instant.parse("2025-03-01T10:15:31Z"),
                        Instant.parse("2025-03-01T10:16:00Z"),
                        "client_aborted",
                        ArchiveKind.LAID_OUT),
                new TokenIssued(
                        TOKEN_ID,
                        "ord_1001",
                        "ord_1001-1",
                        "buyer@example.com",
                        "APP-PRO",
                        List.of(FILE_ID, FILE_ID_2),
                        null,
                        3,
                        Instant.parse("2025-03-08T10:00:00Z"),
                        Instant.parse("2025-03-01T10:00:00Z"),
                        "Thanks for your purchase",
                        TOKEN_HASH),
                new LinkEmailed(TOKEN_ID, "ord_1001", "buyer@example.com", 1, Instant.parse("2025-03-01T10:00:02Z")),
                new CustomerErasureRequested(
                        ERASURE_ID,
                        CustomerErasureRequested.emailHash("buyer@example.com"),
                        "erased-3f1c9a7b5d2e4f60",
                        Instant.parse("2025-04-01T08:00:00Z")),
                new CustomerErased(
                        ERASURE_ID,
                        "token-service",
                        Map.of("links", 2L, "grant_client_details", 3L, "orders", 1L),
                        Instant.parse("2025-04-01T08:00:01Z")),
                new ConsoleActionRecorded(
                        UUID.fromString("0b7d4c1e-5a2f-4e8b-9c3d-6f1a2b3c4d5e"),
                        "seller",
                        "link.issued",
                        TOKEN_ID.toString(),
                        "product demo-app",
                        Instant.parse("2025-03-01T09:59:30Z")),
                new LinkViewed(
                        TOKEN_ID,
                        "GET",
                        "203.0.113.7",
                        "Mozilla/5.0 (X11; Linux x86_64)",
                        Instant.parse("2025-03-01T10:14:50Z")),
                new TokenRevoked(TOKEN_ID, "ord_1001", "refunded", Instant.parse("2025-03-02T09:00:00Z")),
                new TokenExhausted(TOKEN_ID, "ord_1001", 3, Instant.parse("2025-03-03T18:45:12Z")),
                new GrantSettled(
                        GRANT_ID,
                        TOKEN_ID,
                        GrantOutcome.COMPLETED,
                        209717000L,
                        209715626L,
                        ArchiveKind.LAID_OUT,
                        Instant.parse("2025-03-01T10:17:02.310Z"),
                        "ord_1001",
                        1),
                new OrderStatusChanged(
                        "ord_1001",
                        "stripe",
                        "pi_3OqXyZ2eZvKYlo2C0a1b2c3d",
                        "buyer@example.com",
                        "paid",
                        "pending",
                        List.of(new OrderLine("ord_1001-1", "APP-PRO", 1)),
                        Instant.parse("2025-03-01T09:59:58Z")),
                new FileStored(
                        FILE_ID,
                        "files/c3e5a7b9/app-1.2.0-linux.tar.gz",
                        "app-1.2.0-linux.tar.gz",
                        104857600L,
                        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                        "1c291ca3",
                        "application/gzip",
                        "clean",
                        Instant.parse("2025-02-27T08:00:00Z")),
                new FileDeleted(
                        FILE_ID, "files/c3e5a7b9/app-1.2.0-linux.tar.gz", Instant.parse("2025-04-01T00:00:00Z")),
                new ReleasePublished(
                        "APP-PRO",
                        "App Pro",
                        RELEASE_ID,
                        "1.2.0",
                        "Faster sync.",
                        linkedFiles(),
                        Instant.parse("2025-02-27T08:05:00Z")),
                new ProductBrandingChanged(
                        "APP-PRO",
                        new ProductBranding(
                                "App Pro for Teams",
                                "https://cdn.example.com/app-pro.png",
                                "#0b5394",
                                "help@example.com"),
                        Instant.parse("2025-02-27T08:06:00Z")),
                new ShareChanged(
                        SHARE_ID,
                        ShareChange.BURNT,
                        "file",
                        1048576,
                        0,
                        true,
                        Instant.parse("2025-05-01T12:00:00Z")))) {
            samples.put(event.getClass().getSimpleName(), event);
        }
        return samples;
    }

    private static Map<String, List<UUID>> linkedFiles() {
        Map<String, List<UUID>> files = new LinkedHashMap<>();
        files.put("linux", List.of(FILE_ID));
        files.put("windows", List.of(FILE_ID_2));
        return files;
    }
}
