package io.drawbridge.file.config;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the objects live ({@code drawbridge.s3.*}, fed by the {@code DRAWBRIDGE_S3_*} environment).
 *
 * @param endpoint the S3 API as this service reaches it
 * @param publicEndpoint the S3 API as uploaders reach it, for presigned URLs; blank = {@code endpoint}
 */
@Validated
@ConfigurationProperties("drawbridge.s3")
public record S3Properties(
        @NotBlank String endpoint,
        String publicEndpoint,
        @NotBlank String accessKey,
        @NotBlank String secretKey,
        @DefaultValue("drawbridge") @NotBlank String bucket,
        @DefaultValue("us-east-1") @NotBlank String region) {

    public String presignEndpoint() {
        return publicEndpoint == null || publicEndpoint.isBlank() ? endpoint : publicEndpoint;
    }
}
