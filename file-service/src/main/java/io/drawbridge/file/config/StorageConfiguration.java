package io.drawbridge.file.config;

import io.drawbridge.file.storage.ObjectStore;
import io.minio.MinioAsyncClient;
import java.time.Duration;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The S3 client: one for requests, one that only signs URLs for the address uploaders use. */
@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

    private static final Logger log = LoggerFactory.getLogger(StorageConfiguration.class);

    @Bean(destroyMethod = "close")
    MinioAsyncClient minioClient(S3Properties s3) {
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(10))
                .writeTimeout(Duration.ofMinutes(5))
                .readTimeout(Duration.ofMinutes(5))
                .build();
        return MinioAsyncClient.builder()
                .endpoint(s3.endpoint())
                .region(s3.region())
                .credentials(s3.accessKey(), s3.secretKey())
                .httpClient(http, true)
                .build();
    }

    @Bean
    ObjectStore objectStore(MinioAsyncClient minioClient, S3Properties s3, FileProperties files) {
        MinioAsyncClient presigner = MinioAsyncClient.builder()
                .endpoint(s3.presignEndpoint())
                .region(s3.region())
                .credentials(s3.accessKey(), s3.secretKey())
                .build();
        return new ObjectStore(minioClient, presigner, s3, files);
    }

    @Bean
    ApplicationRunner bucketCheck(ObjectStore store) {
        return args -> store.ensureBucket()
                .doOnError(e -> log.warn("Bucket {} could not be checked or created: {}", store.bucket(), e.toString()))
                .onErrorComplete()
                .block(Duration.ofSeconds(30));
    }
}
