package io.drawbridge.file.storage;

/** S3 answered "no such key" or "no such upload": the normal answer for things already gone. */
public class NoSuchObjectException extends RuntimeException {

    public NoSuchObjectException(String code) {
        super(code, null, false, false);
    }
}
