package io.drawbridge.file.support;

import io.drawbridge.embedded.EmbeddedInfrastructureExtension;
import io.drawbridge.embedded.InfrastructureEndpoints;
import io.drawbridge.embedded.WithEmbeddedInfrastructure;
import io.minio.ListMultipartUploadsArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import io.minio.messages.ListMultipartUploadsResult;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * One Spring context for every file-service IT, against the real Kafka, PostgreSQL and S3 server of this JVM. Limits
 * are small so the limit tests stay small: 64 MB max, 5 MB parts, an extension allow-list.
 */
@WithEmbeddedInfrastructure
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "drawbridge.security.admin-token=" + FileServiceTestSupport.ADMIN_TOKEN,
            "drawbridge.security.service-token=" + FileServiceTestSupport.SERVICE_TOKEN,
            "drawbridge.file.max-size=24MB",
            "drawbridge.file.part-size=5MB",
            "drawbridge.file.allowed-extensions=bin,txt,zip,dmg,exe,gz,appimage",
            "drawbridge.file.direct-multipart-threshold=8MB",
            "drawbridge.file.direct-part-size=5MB",
            "drawbridge.file.cleanup-interval=1h",
            "drawbridge.file.serve-unscanned=true",
            "drawbridge.outbox.poll-interval=100ms",
            "drawbridge.file.share.sweep-interval=500ms"
        })
@AutoConfigureWebTestClient(timeout = "PT60S")
public abstract class FileServiceTestSupport {

    public static final String ADMIN_TOKEN = "test-admin-token";
    public static final String SERVICE_TOKEN = "test-service-token";

    @Autowired
    protected WebTestClient web;

    @Autowired
    protected DatabaseClient db;

    @LocalServerPort
    protected int port;

    protected WebTestClient admin() {
        return web.mutate()
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_TOKEN)
                .build();
    }

    protected static InfrastructureEndpoints endpoints() {
        return EmbeddedInfrastructureExtension.shared().endpoints();
    }

    protected static MinioClient s3() {
        InfrastructureEndpoints e = endpoints();
        return MinioClient.builder()
                .endpoint(e.s3Endpoint())
                .region("us-east-1")
                .credentials(e.s3AccessKey(), e.s3SecretKey())
                .build();
    }

    /** Object keys in the bucket under {@code prefix}, straight from the S3 server. */
    protected static List<String> objectKeys(String prefix) {
        List<String> keys = new ArrayList<>();
        for (Result<Item> result : s3().listObjects(ListObjectsArgs.builder()
                .bucket(endpoints().s3Bucket())
                .prefix(prefix)
                .recursive(true)
                .build())) {
            try {
                keys.add(result.get().objectName());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return keys;
    }

    /** Keys of multipart uploads the S3 server still holds parts for. */
    protected static List<String> pendingMultipartKeys(String prefix) {
        InfrastructureEndpoints e = endpoints();
        try (MinioAsyncClient client = MinioAsyncClient.builder()
                .endpoint(e.s3Endpoint())
                .region("us-east-1")
                .credentials(e.s3AccessKey(), e.s3SecretKey())
                .build()) {
            ListMultipartUploadsResult result = client.listMultipartUploads(ListMultipartUploadsArgs.builder()
                            .bucket(e.s3Bucket())
                            .prefix(prefix)
                            .build())
                    .get()
                    .result();
            return result.uploads() == null
                    ? List.of()
                    : result.uploads().stream().map(u -> u.objectName()).toList();
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    protected long count(String sql) {
        return db.sql(sql).map(row -> row.get(0, Long.class)).one().block();
    }

    protected boolean fileRowExists(UUID id) {
        return db.sql("select count(*) from stored_file where id = :id")
                        .bind("id", id)
                        .map(row -> row.get(0, Long.class))
                        .one()
                        .block()
                > 0;
    }
}
