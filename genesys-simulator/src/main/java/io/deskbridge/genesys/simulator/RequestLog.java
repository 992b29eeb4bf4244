package io.deskbridge.genesys.simulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The requests the simulator's servers received (REST API, login, event stream handshakes), the newest up to a
 * capacity, for tests to assert on and wait for. Thread-safe.
 */
final class RequestLog {
    private final int capacity;
    private final Deque<RecordedRequest> requests = new ArrayDeque<>();

    /** @param capacity how many requests to keep (the newest); zero keeps none */
    RequestLog(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity is negative");
        }
        this.capacity = capacity;
    }

    void record(RecordedRequest request) {
        if (capacity == 0) {
            return;
        }
        synchronized (requests) {
            if (requests.size() == capacity) {
                requests.removeFirst();
            }
            requests.addLast(request);
            requests.notifyAll();
        }
    }

    List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    List<RecordedRequest> requests(Predicate<RecordedRequest> filter) {
        List<RecordedRequest> matching = new ArrayList<>();
        for (RecordedRequest request : requests()) {
            if (filter.test(request)) {
                matching.add(request);
            }
        }
        return matching;
    }

    Optional<RecordedRequest> await(Predicate<RecordedRequest> filter, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (requests) {
            while (true) {
                for (RecordedRequest request : requests) {
                    if (filter.test(request)) {
                        return Optional.of(request);
                    }
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return Optional.empty();
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(requests, remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
        }
    }

    void clear() {
        synchronized (requests) {
            requests.clear();
        }
    }
}
