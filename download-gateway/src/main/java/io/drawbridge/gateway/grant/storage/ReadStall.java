package io.drawbridge.gateway.grant.storage;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Fails an S3 response body that stopped arriving while we wanted it: a read was asked of the socket and nothing came
 * for the whole timeout. Netty's {@code ReadTimeoutHandler} cannot be used here: it also fires while reading is off
 * because the download's client is slow (back-pressure turns auto-read off), and a slow client must be able to take
 * as long as it needs. Lives on the event loop of its connection, so its state needs no synchronization.
 */
final class ReadStall extends ChannelDuplexHandler {

    static final String NAME = "drawbridge.readStall";

    private final long timeoutNanos;
    /** When a read was asked for and nothing arrived since, or -1. */
    private long waitingSince = -1;

    private ScheduledFuture<?> check;
    private boolean fired;

    ReadStall(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // Reading already on (the body is being asked for): that counts as asked from now.
        if (ctx.channel().config().isAutoRead()) {
            waitingSince = System.nanoTime();
        }
        schedule(ctx, timeoutNanos);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (waitingSince < 0) {
            waitingSince = System.nanoTime();
        }
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        waitingSince = -1;
        ctx.fireChannelRead(msg);
    }

    private void schedule(ChannelHandlerContext ctx, long delayNanos) {
        check = ctx.executor().schedule(() -> check(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive() || fired) {
            return;
        }
        if (!ctx.channel().config().isAutoRead()) {
            waitingSince = -1; // the consumer is not asking: not a stall, however long it takes
        }
        long now = System.nanoTime();
        if (waitingSince >= 0 && now - waitingSince >= timeoutNanos) {
            fired = true;
            ctx.fireExceptionCaught(ReadTimeoutException.INSTANCE);
            ctx.close();
            return;
        }
        schedule(ctx, waitingSince < 0 ? timeoutNanos : timeoutNanos - (now - waitingSince));
    }
}
