package io.deskbridge.core;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An executor service that wraps another: a subclass says how a task is {@link #execute executed} (every
 * {@code submit} and {@code invoke} goes through it), and the pool's lifecycle is the delegate's. For the framework's
 * own wrappers of the shared pools and for test pools that watch the tasks they run.
 */
public abstract class ForwardingExecutorService extends AbstractExecutorService {
    /** The pool every task finally runs on and whose lifecycle this one is. */
    protected final ExecutorService delegate;

    protected ForwardingExecutorService(ExecutorService delegate) {
        this.delegate = requireNonNull(delegate, "delegate is null");
    }

    @Override
    public void shutdown() {
        delegate.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        return delegate.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
        return delegate.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return delegate.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return delegate.awaitTermination(timeout, unit);
    }
}
