package io.drawbridge.file.storage;

/** What S3 says about an object that exists. */
public record StoredObject(String key, long size, String contentType) {}
