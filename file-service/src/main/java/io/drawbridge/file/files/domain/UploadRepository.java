package io.drawbridge.file.files.domain;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Where direct uploads are remembered between their start and their completion or expiry. */
public interface UploadRepository {

    Mono<Void> insert(DirectUpload upload);

    Mono<DirectUpload> find(UUID id);

    /** Moves a pending upload to COMPLETING (one caller wins); empty when it was not pending. */
    Mono<DirectUpload> claim(UUID id);

    /** Puts a COMPLETING upload back to PENDING (completion failed and may be retried). */
    Mono<Void> release(UUID id);

    /** Marks a COMPLETING upload COMPLETED; false if it was not COMPLETING any more (swept). */
    Mono<Boolean> markCompleted(UUID id);

    /** Unfinished uploads whose URLs expired before {@code before}. */
    Flux<DirectUpload> unfinishedExpiredBefore(Instant before);

    /** Deletes an upload unless it was completed meanwhile. */
    Mono<Boolean> deleteUnfinished(UUID id);

    /** The S3 multipart upload ids that unfinished direct uploads own. */
    Mono<Set<String>> multipartUploadIds();
}
