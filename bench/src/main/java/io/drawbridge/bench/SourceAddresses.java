package io.drawbridge.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands out distinct loopback addresses 127.a.b.c (a from 16, so 127.0.0.1 and the low range stay for the stack
 * itself), one per simulated customer, starting at a random point so that runs close together use other addresses.
 * About 15 million addresses before one repeats.
 */
final class SourceAddresses {

    private static final long SPACE = 240L * 254 * 254;

    private final AtomicLong next = new AtomicLong(ThreadLocalRandom.current().nextLong(SPACE));

    InetAddress next() {
        long n = Math.floorMod(next.getAndIncrement(), SPACE);
        byte a = (byte) (16 + n / (254 * 254));
        byte b = (byte) (1 + (n / 254) % 254);
        byte c = (byte) (1 + n % 254);
        try {
            return InetAddress.getByAddress(new byte[] {127, a, b, c});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
