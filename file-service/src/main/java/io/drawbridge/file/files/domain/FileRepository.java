package io.drawbridge.file.files.domain;

import io.drawbridge.file.shared.Page;
import java.util.UUID;
import reactor.core.publisher.Mono;

/** Where file rows live; a row exists only for complete objects. */
public interface FileRepository {

    Mono<Void> insert(StoredFile file);

    Mono<StoredFile> find(UUID id);

    /** Files whose name contains {@code query} (case-insensitive; null = all), newest first. */
    Mono<Page<StoredFile>> search(String query, int page, int size);

    /** Whether any release references the file. */
    Mono<Boolean> usedByRelease(UUID id);

    /** Deletes the row; a release referencing it makes this fail with a {@code file_in_use} rejection. */
    Mono<Boolean> delete(UUID id);
}
