package io.drawbridge.gateway.web;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import org.reactivestreams.Subscription;
import org.springframework.core.io.buffer.DataBuffer;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * Lets a response body through one buffer at a time, and only while the client's connection is writable (its
 * outbound buffer below Netty's high water mark). Reactor Netty's send path asks the body for up to 256 buffers and
 * writes every one it gets into the connection, writable or not: with a slow client and buffers of S3's socket reads,
 * that parked megabytes of direct memory per download (about 6.7 MiB at 1 MiB/s). Behind this gate a stream holds at
 * most the high water mark plus one buffer in the connection, and S3 is read only when the client takes bytes (the
 * storage side turns reading off while nothing is asked).
 *
 * <p>Each request for the next buffer is made on the connection's event loop, after the previous buffer was written
 * into the connection (Reactor Netty writes from that loop too, in order), so the writability it sees counts every
 * buffer already let through. When the connection is not writable the gate parks itself on the channel ({@link
 * #WAITER}) and {@link Watch} wakes it when the connection drains below the low water mark.
 */
public final class WritabilityGate {

    /** The handler's name in the server's pipeline. */
    public static final String NAME = "drawbridge.writabilityWatch";

    static final AttributeKey<Runnable> WAITER = AttributeKey.valueOf("drawbridge.writabilityWaiter");

    private static final Watch WATCH = new Watch();

    private WritabilityGate() {}

    /** The handler every server connection needs for {@link #gate}: installed once per channel. */
    public static ChannelHandler watch() {
        return WATCH;
    }

    /** {@code body}, let through as {@code channel} can take it; as it is when the channel has no {@link Watch}. */
    public static Flux<DataBuffer> gate(Flux<DataBuffer> body, Channel channel) {
        if (channel.pipeline().get(NAME) == null) {
            return body;
        }
        return new Gated(body, channel);
    }

    /** Wakes the gate parked on a channel when it becomes writable again. */
    @ChannelHandler.Sharable
    static final class Watch extends ChannelInboundHandlerAdapter {
        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                Runnable waiter = ctx.channel().attr(WAITER).getAndSet(null);
                if (waiter != null) {
                    waiter.run();
                }
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            ctx.channel().attr(WAITER).set(null);
            ctx.fireChannelInactive();
        }
    }

    private static final class Gated extends FluxOperator<DataBuffer, DataBuffer> {
        private final Channel channel;

        Gated(Flux<DataBuffer> source, Channel channel) {
            super(source);
            this.channel = channel;
        }

        @Override
        public void subscribe(CoreSubscriber<? super DataBuffer> actual) {
            source.subscribe(new Inner(actual, channel));
        }
    }

    private static final class Inner implements CoreSubscriber<DataBuffer>, Subscription {
        private final CoreSubscriber<? super DataBuffer> actual;
        private final Channel channel;
        private static final AtomicLongFieldUpdater<Inner> DEMAND =
                AtomicLongFieldUpdater.newUpdater(Inner.class, "demand");

        /** Buffers downstream asked for and did not get yet. */
        private volatile long demand;
        /** One buffer asked of the source and not arrived yet. */
        private final AtomicBoolean asked = new AtomicBoolean();

        private final Runnable wake = this::askOnEventLoop;
        private volatile Subscription upstream;
        private volatile boolean stopped;

        Inner(CoreSubscriber<? super DataBuffer> actual, Channel channel) {
            this.actual = actual;
            this.channel = channel;
        }

        @Override
        public Context currentContext() {
            return actual.currentContext();
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (Operators.validate(upstream, s)) {
                upstream = s;
                actual.onSubscribe(this);
            }
        }

        @Override
        public void request(long n) {
            if (Operators.validate(n)) {
                Operators.addCap(DEMAND, this, n);
                askOnEventLoop();
            }
        }

        @Override
        public void onNext(DataBuffer buffer) {
            Operators.produced(DEMAND, this, 1);
            asked.set(false);
            actual.onNext(buffer);
            askOnEventLoop();
        }

        @Override
        public void onError(Throwable t) {
            stop();
            actual.onError(t);
        }

        @Override
        public void onComplete() {
            stop();
            actual.onComplete();
        }

        @Override
        public void cancel() {
            stop();
            upstream.cancel();
        }

        private void stop() {
            stopped = true;
            channel.attr(WAITER).compareAndSet(wake, null);
        }

        /** After whatever the event loop has queued (the write of the buffer just let through). */
        private void askOnEventLoop() {
            if (channel.eventLoop().inEventLoop()) {
                ask();
            } else {
                channel.eventLoop().execute(this::ask);
            }
        }

        private void ask() {
            while (!stopped && demand > 0 && asked.compareAndSet(false, true)) {
                if (channel.isWritable() || !channel.isActive()) {
                    // An inactive channel: let the send path find out and cancel.
                    upstream.request(1);
                    return;
                }
                asked.set(false);
                channel.attr(WAITER).set(wake);
                // Became writable between the check and the parking: take the wake-up back and go on.
                if (!channel.isWritable() || !channel.attr(WAITER).compareAndSet(wake, null)) {
                    return;
                }
            }
        }
    }
}
