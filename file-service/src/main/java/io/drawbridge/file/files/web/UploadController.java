package io.drawbridge.file.files.web;

import static io.drawbridge.file.shared.web.Problems.answer;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.drawbridge.file.files.domain.DirectUpload;
import io.drawbridge.file.files.domain.DirectUploads;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** Direct uploads: presigned PUT URLs now, verification and the file on {@code complete}. */
@RestController
@RequestMapping("/api/v1/uploads")
class UploadController {

    private final DirectUploads uploads;

    UploadController(DirectUploads uploads) {
        this.uploads = uploads;
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record StartRequest(String name, Long size, String contentType) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CompleteRequest(String sha256) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record PartResponse(int partNumber, long offset, long length, String url) {}

    /** Where and how to PUT the bytes; {@code url} for one PUT, {@code parts} for a multipart upload. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record UploadResponse(
            UUID id,
            String name,
            long size,
            String contentType,
            String status,
            Instant expiresAt,
            String method,
            String url,
            Long partSize,
            List<PartResponse> parts,
            String completeUrl) {

        static UploadResponse of(DirectUpload upload, List<DirectUploads.PartTarget> targets) {
            String url = null;
            List<PartResponse> parts = null;
            if (targets != null && upload.multipart()) {
                parts = targets.stream()
                        .map(t -> new PartResponse(t.partNumber(), t.offset(), t.length(), t.url()))
                        .toList();
            } else if (targets != null) {
                url = targets.get(0).url();
            }
            return new UploadResponse(
                    upload.id(),
                    upload.name().value(),
                    upload.size(),
                    upload.contentType(),
                    upload.status().name().toLowerCase(java.util.Locale.ROOT),
                    upload.expiresAt(),
                    targets == null ? null : "PUT",
                    url,
                    upload.multipart() ? upload.partSize() : null,
                    parts,
                    "/api/v1/uploads/" + upload.id() + "/complete");
        }
    }

    @PostMapping
    Mono<ResponseEntity<UploadResponse>> start(@RequestBody StartRequest request) {
        return answer(() -> {
            if (request.size() == null) {
                return Mono.error(new io.drawbridge.file.shared.Rejection(
                        io.drawbridge.file.shared.Rejection.Kind.INVALID,
                        "validation_failed",
                        "size (bytes) is required."));
            }
            return uploads.start(request.name(), request.size(), request.contentType())
                    .map(started -> ResponseEntity.created(URI.create(
                                    "/api/v1/uploads/" + started.upload().id()))
                            .body(UploadResponse.of(started.upload(), started.targets())));
        });
    }

    @GetMapping("/{id}")
    Mono<UploadResponse> get(@PathVariable UUID id) {
        return answer(() -> uploads.find(id).map(upload -> UploadResponse.of(upload, null)));
    }

    @PostMapping("/{id}/complete")
    Mono<ResponseEntity<FileResponse>> complete(
            @PathVariable UUID id, @RequestBody(required = false) CompleteRequest request) {
        return answer(() -> uploads.complete(id, request == null ? null : request.sha256())
                .map(file -> ResponseEntity.ok()
                        .location(URI.create("/api/v1/files/" + file.id()))
                        .body(FileResponse.of(file))));
    }
}
