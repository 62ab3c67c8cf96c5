package io.drawbridge.gateway.grant.storage;

/** Reading an object broke off on the storage side (as opposed to the client going away). */
public final class StorageReadFailed extends RuntimeException {

    StorageReadFailed(String message, Throwable cause) {
        super(message, cause);
    }
}
