package io.drawbridge.devstack;

/** Placeholder until the dev stack lands. */
public final class DevStack {

    public static void main(String[] args) {
        throw new UnsupportedOperationException("not yet");
    }
}
