package io.drawbridge.file.bench;

import io.minio.ListMultipartUploadsArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;

/**
 * Prints how many objects and unfinished multipart uploads the bucket holds under {@code files/}, straight from the S3
 * server (environment {@code DRAWBRIDGE_S3_*}), for {@code src/test/bench/upload-throughput.sh}.
 */
public final class BucketReport {

    private BucketReport() {}

    public static void main(String[] args) throws Exception {
        String endpoint = System.getenv("DRAWBRIDGE_S3_ENDPOINT");
        String access = System.getenv("DRAWBRIDGE_S3_ACCESS_KEY");
        String secret = System.getenv("DRAWBRIDGE_S3_SECRET_KEY");
        String bucket = System.getenv("DRAWBRIDGE_S3_BUCKET");
        MinioClient client = MinioClient.builder()
                .endpoint(endpoint)
                .region("us-east-1")
                .credentials(access, secret)
                .build();
        int objects = 0;
        for (var item : client.listObjects(ListObjectsArgs.builder()
                .bucket(bucket)
                .prefix("files/")
                .recursive(true)
                .build())) {
            item.get();
            objects++;
        }
        try (MinioAsyncClient async = MinioAsyncClient.builder()
                .endpoint(endpoint)
                .region("us-east-1")
                .credentials(access, secret)
                .build()) {
            var uploads = async.listMultipartUploads(ListMultipartUploadsArgs.builder()
                            .bucket(bucket)
                            .prefix("files/")
                            .build())
                    .get()
                    .result()
                    .uploads();
            System.out.println(objects + " objects, " + (uploads == null ? 0 : uploads.size())
                    + " multipart uploads in the bucket");
        }
    }
}
