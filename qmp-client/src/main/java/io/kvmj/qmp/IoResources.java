package io.kvmj.qmp;

import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.channels.spi.SelectorProvider;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A reference-counted one-thread NIO event loop group, shared by a listener and the clients it accepted; the
 * group shuts down when the last holder releases it. Thread names start with {@value #THREAD_PREFIX}.
 */
final class IoResources {
    static final String THREAD_PREFIX = "kvmj-qmp-";
    private static final AtomicLong SEQ = new AtomicLong();

    private final IoEventLoopGroup group;
    private final AtomicInteger refs = new AtomicInteger(1);

    private final LingeringSelectStrategy strategy;

    private IoResources(IoEventLoopGroup group, LingeringSelectStrategy strategy) {
        this.group = group;
        this.strategy = strategy;
    }

    static IoResources create(String name, long lingerNanos) {
        DefaultThreadFactory tf = new DefaultThreadFactory(THREAD_PREFIX + "io-" + name + "-" + SEQ.incrementAndGet(),
                true);
        LingeringSelectStrategy strategy = new LingeringSelectStrategy(lingerNanos);
        return new IoResources(new MultiThreadIoEventLoopGroup(1, tf,
                NioIoHandler.newFactory(SelectorProvider.provider(), () -> strategy)), strategy);
    }

    /** I/O thread: a message was handled (see {@link LingeringSelectStrategy}). */
    void active() {
        strategy.active();
    }

    IoEventLoopGroup group() {
        return group;
    }

    IoResources retain() {
        int r;
        do {
            r = refs.get();
            if (r <= 0) {
                throw new IllegalStateException("event loop already released");
            }
        } while (!refs.compareAndSet(r, r + 1));
        return this;
    }

    void release() {
        if (refs.decrementAndGet() == 0) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
    }

    /** True on this group's I/O thread. */
    boolean inEventLoop() {
        return group.next().inEventLoop();
    }

    /** Waits (bounded) for the group to terminate if it is shutting down and we are not on its thread. */
    void awaitTermination(long millis) {
        if (!group.isShuttingDown() || inEventLoop()) {
            return;
        }
        try {
            group.terminationFuture().await(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
