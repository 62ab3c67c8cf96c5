package io.drawbridge.file.storage;

/** S3 could not be reached or refused a request it should have accepted; worth retrying later. */
public class StorageUnavailableException extends RuntimeException {

    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
