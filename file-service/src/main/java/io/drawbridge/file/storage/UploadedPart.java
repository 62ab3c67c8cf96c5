package io.drawbridge.file.storage;

/** A part S3 holds for an unfinished multipart upload. */
public record UploadedPart(int number, String etag, long size) {}
