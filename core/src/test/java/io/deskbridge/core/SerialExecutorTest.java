package io.deskbridge.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("SerialExecutor")
class SerialExecutorTest {

    /** An executor that runs nothing until the test says so, and can be told to refuse work. */
    static final class StepExecutor implements Executor {
        final Queue<Runnable> queued = new ArrayDeque<>();
        boolean refuse;

        @Override
        public void execute(Runnable command) {
            if (refuse) {
                throw new RejectedExecutionException("refused");
            }
            queued.add(command);
        }

        void runOne() {
            queued.remove().run();
        }
    }

    @Test
    @DisplayName("tasks from many threads run one at a time, each thread's in order, on a shared pool")
    void serialOverAPool() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            SerialExecutor serial = new SerialExecutor(pool);
            AtomicInteger running = new AtomicInteger();
            AtomicInteger maxRunning = new AtomicInteger();
            List<String> order = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService submitters = Executors.newFixedThreadPool(4);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(submitters.submit(() -> {
                    go.await();
                    for (int i = 0; i < 2_000; i++) {
                        int n = i;
                        serial.execute(() -> {
                            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                            order.add(thread + ":" + n);
                            running.decrementAndGet();
                        });
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(10, TimeUnit.SECONDS);
            }
            submitters.shutdown();
            CountDownLatch last = new CountDownLatch(1);
            serial.execute(last::countDown);
            assertThat(last.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(maxRunning).hasValue(1);
            assertThat(order).hasSize(8_000);
            for (int t = 0; t < 4; t++) {
                String prefix = t + ":";
                List<Integer> mine = order.stream().filter(s -> s.startsWith(prefix))
                        .map(s -> Integer.parseInt(s.substring(prefix.length()))).collect(Collectors.toList());
                assertThat(mine).isEqualTo(IntStream.range(0, 2_000).boxed().collect(Collectors.toList()));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("a task that throws does not stop the tasks after it")
    void failingTask() {
        StepExecutor pool = new StepExecutor();
        SerialExecutor serial = new SerialExecutor(pool);
        List<String> ran = new ArrayList<>();
        serial.execute(() -> ran.add("first"));
        serial.execute(() -> {
            throw new IllegalStateException("task bug");
        });
        serial.execute(() -> ran.add("third"));

        pool.runOne();

        assertThat(ran).containsExactly("first", "third");
        assertThat(pool.queued).isEmpty();
    }

    @Test
    @DisplayName("a long queue is run in batches, giving the pooled thread back in between")
    void batches() {
        StepExecutor pool = new StepExecutor();
        SerialExecutor serial = new SerialExecutor(pool);
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 100; i++) {
            serial.execute(ran::incrementAndGet);
        }
        assertThat(pool.queued).as("one drain for the whole queue").hasSize(1);

        pool.runOne();
        assertThat(ran).hasValue(64);
        assertThat(pool.queued).hasSize(1);
        pool.runOne();
        assertThat(ran).hasValue(100);
        assertThat(pool.queued).isEmpty();
    }

    @Test
    @DisplayName("a pool that refuses work leaves the tasks queued for the next execute, not stuck")
    void refused() {
        StepExecutor pool = new StepExecutor();
        SerialExecutor serial = new SerialExecutor(pool);
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 70; i++) {
            serial.execute(ran::incrementAndGet);
        }
        pool.refuse = true;
        pool.runOne();
        assertThat(ran).hasValue(64);

        pool.refuse = false;
        serial.execute(ran::incrementAndGet);
        assertThat(pool.queued).hasSize(1);
        pool.runOne();
        assertThat(ran).hasValue(71);
    }
}
