package io.deskbridge.genesys.platform;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.CompletionFailures;
import io.deskbridge.spi.AgentAvailability;
import io.deskbridge.spi.AgentsOnline;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both Genesys transports tell a user about the queue ({@code genesys.queueName}): whether agents are online
 * ({@code AGENTS_ONLINE}) and, while the user waits for the first agent, how many chats wait and the estimated wait
 * ({@code QUEUE_STATUS}). Built on the {@link GenesysPlatformClient}, so it needs the OAuth client credentials
 * ({@link #isConfigured()}); one instance serves every chat of a desk.
 *
 * <p><b>Shared figures.</b> The queue figures are the same for every chat, and the OAuth client has a small request
 * budget (a few hundred a minute, shared with the signed data authenticated chats need to start). So the
 * observation and the estimated wait are each asked at most once at a time and reused for the refresh interval by
 * every caller, and the chats waiting for an agent are served by one refresh every interval, whatever their number:
 * the platform load does not grow with the number of chats.
 */
public final class QueueAvailabilityClient {
    private static final Logger LOG = LoggerFactory.getLogger(QueueAvailabilityClient.class);

    private final GenesysPlatformClient platform;
    private final String queueName;
    private final ScheduledExecutorService scheduler;
    private final Duration refreshInterval;
    private final SharedQuery<QueueObservation> observation;
    private final SharedQuery<Optional<Duration>> estimatedWait;
    private final Set<QueueWatch> watches = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean failing = new AtomicBoolean();

    // Guarded by watches.
    private ScheduledFuture<?> refreshes;

    /**
     * @param queueName the queue chats are routed to ({@code genesys.queueName})
     * @param mediaType the media type of the transport's conversations, the ones the waiting count counts
     * @param scheduler the shared scheduler that times the refreshes
     * @param clock the clock that ages the shared figures (the scheduler's)
     * @param refreshInterval how long the queue figures are reused, and how often they are refreshed while a user
     *     waits ({@code genesys.availabilityRefreshInterval})
     */
    public QueueAvailabilityClient(GenesysPlatformClient platform, String queueName, QueueMediaType mediaType,
            ScheduledExecutorService scheduler, Clock clock, Duration refreshInterval) {
        this.platform = requireNonNull(platform, "platform is null");
        this.queueName = requireNonNull(queueName, "queueName is null");
        requireNonNull(mediaType, "mediaType is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        requireNonNull(clock, "clock is null");
        this.refreshInterval = requireNonNull(refreshInterval, "refreshInterval is null");
        if (refreshInterval.isNegative() || refreshInterval.isZero()) {
            throw new IllegalArgumentException("refreshInterval must be positive: " + refreshInterval);
        }
        this.observation = new SharedQuery<>(
                () -> platform.queueId(queueName).thenCompose(queueId -> platform.observeQueue(queueId, mediaType)), clock, refreshInterval);
        // An estimate Genesys cannot give is no estimate: the status still shows the waiting count.
        this.estimatedWait = new SharedQuery<>(() -> platform.queueId(queueName)
                .thenCompose(queueId -> platform.estimatedWait(queueId, mediaType))
                .exceptionally(failure -> {
                    LOG.debug("queue '{}': no estimated wait: {}", queueName, describe(failure));
                    return Optional.empty();
                }), clock, refreshInterval);
    }

    /** Whether OAuth client credentials are configured, so that the queue can be asked at all. */
    public boolean isConfigured() {
        return platform.isConfigured();
    }

    /**
     * Whether any agent who takes chats is on the queue (routing status {@code IDLE} or {@code INTERACTING}; not
     * agents who missed an alert or are on a non-ACD interaction): {@code ONLINE} or {@code OFFLINE}; {@code UNKNOWN} when
     * Genesys cannot be asked or does not answer (logged once until it answers again). At most one refresh
     * interval old. Never fails.
     */
    public CompletableFuture<AgentsOnline> agentsOnline(String chatId) {
        requireNonNull(chatId, "chatId is null");
        return observation.get().handle((observed, failure) -> {
            noteOutcome(failure);
            if (failure != null) {
                LOG.debug("chat={} could not tell whether agents are online: {}", chatId, describe(failure));
                return AgentsOnline.UNKNOWN;
            }
            LOG.debug("chat={} queue {}: {} agents on queue, {} taking chats, {} idle", chatId, observed.queueId(),
                    observed.onQueueAgents(), observed.availableAgents(), observed.idleAgents());
            return observed.anyAgentAvailable() ? AgentsOnline.ONLINE : AgentsOnline.OFFLINE;
        });
    }

    /**
     * Forgets the shared queue figures, so that the next question asks Genesys: for an operator or a test that
     * knows the queue just changed (agents logged in) and will not wait for the refresh interval.
     */
    public void forgetFigures() {
        observation.forget();
        estimatedWait.forget();
    }

    /**
     * The queue status: the waiting chats (as an upper bound of the position) and the queue's estimated wait, at
     * most one refresh interval old. An estimate Genesys cannot give is left empty; a failed observation fails.
     */
    public CompletableFuture<AgentAvailability> queueStatus() {
        return status(observation.get(), estimatedWait.get());
    }

    private static CompletableFuture<AgentAvailability> status(CompletableFuture<QueueObservation> observed,
            CompletableFuture<Optional<Duration>> wait) {
        return observed.thenCombine(wait, QueueAvailabilityClient::availability);
    }

    /** The user-facing status of an observation: the waiting count as position, the estimate, and a sentence. */
    public static AgentAvailability availability(QueueObservation observation, Optional<Duration> estimatedWait) {
        requireNonNull(observation, "observation is null");
        requireNonNull(estimatedWait, "estimatedWait is null");
        String message;
        if (!observation.anyAgentAvailable()) {
            message = "No agent is available right now; your chat stays in the queue.";
        } else if (observation.waiting() == 1) {
            message = "1 chat is waiting for an agent.";
        } else {
            message = observation.waiting() + " chats are waiting for an agent.";
        }
        // Genesys tells how many chats wait in the queue, not where this one stands: the count is reported as the
        // position, an upper bound (this chat is one of them, and at most that many are answered before it).
        OptionalInt position = observation.waiting() >= 1 && observation.waiting() <= Integer.MAX_VALUE
                ? OptionalInt.of((int) observation.waiting()) : OptionalInt.empty();
        return new AgentAvailability(position, estimatedWait, Optional.of(message));
    }

    /**
     * Reports the queue status of one waiting chat now and after every refresh, until {@code waiting} turns false
     * or the watch is {@linkplain QueueWatch#stop() stopped}. {@code waiting} and {@code report} run on
     * {@code chatExecutor} (the chat's serial executor), so they may touch the chat's state. Every chat watching
     * is served by the same refresh, one every refresh interval. A refresh that fails is skipped (logged once until
     * the queue answers again): the next one tries again.
     */
    public QueueWatch watchWhileWaiting(String chatId, Executor chatExecutor, BooleanSupplier waiting, Consumer<AgentAvailability> report) {
        QueueWatch watch = new QueueWatch(chatId, chatExecutor, waiting, report);
        watch.start();
        return watch;
    }

    /** How many chats are watching the queue now. */
    int watching() {
        return watches.size();
    }

    private void add(QueueWatch watch) {
        synchronized (watches) {
            watches.add(watch);
            if (refreshes == null) {
                long period = refreshInterval.toMillis();
                refreshes = scheduler.scheduleWithFixedDelay(this::refreshWatches, period, period, TimeUnit.MILLISECONDS);
            }
        }
    }

    private void remove(QueueWatch watch) {
        synchronized (watches) {
            watches.remove(watch);
            if (watches.isEmpty() && refreshes != null) {
                refreshes.cancel(false);
                refreshes = null;
            }
        }
    }

    /** One refresh for every watching chat: a new request (or the one in flight), its answer to each. */
    private void refreshWatches() {
        if (watches.isEmpty()) {
            return;
        }
        status(observation.refresh(), estimatedWait.refresh()).whenComplete((availability, failure) -> {
            noteOutcome(failure);
            for (QueueWatch watch : watches) {
                watch.deliver(availability, failure);
            }
        });
    }

    /** Logs a failure once (WARN) until the queue answers again, so that polling does not flood the log. */
    private void noteOutcome(Throwable failure) {
        if (failure == null) {
            if (failing.compareAndSet(true, false)) {
                LOG.info("the status of the Genesys queue '{}' is available again", queueName);
            }
        } else if (failing.compareAndSet(false, true)) {
            LOG.warn("the status of the Genesys queue '{}' is unavailable (agents online, waiting chats, estimated wait), "
                    + "kept trying every {} ms: {}", queueName, refreshInterval.toMillis(), describe(failure));
        } else {
            LOG.debug("the status of the Genesys queue '{}' is still unavailable: {}", queueName, describe(failure));
        }
    }

    /** The status reports of one waiting chat; {@link #stop()} ends them. */
    public final class QueueWatch {
        private final String chatId;
        private final Executor chatExecutor;
        private final BooleanSupplier waiting;
        private final Consumer<AgentAvailability> report;
        private volatile boolean stopped;

        private QueueWatch(String chatId, Executor chatExecutor, BooleanSupplier waiting, Consumer<AgentAvailability> report) {
            this.chatId = requireNonNull(chatId, "chatId is null");
            this.chatExecutor = requireNonNull(chatExecutor, "chatExecutor is null");
            this.waiting = requireNonNull(waiting, "waiting is null");
            this.report = requireNonNull(report, "report is null");
        }

        private void start() {
            add(this);
            // The first report at once: the shared figures when they are recent, else a request (or the one in flight).
            queueStatus().whenComplete((availability, failure) -> {
                noteOutcome(failure);
                deliver(availability, failure);
            });
        }

        /** Ends the reports; a refresh in flight reports nothing. Call it on the chat's executor. Idempotent. */
        public void stop() {
            stopped = true;
            remove(this);
        }

        private void deliver(AgentAvailability availability, Throwable failure) {
            if (stopped) {
                return;
            }
            try {
                chatExecutor.execute(() -> {
                    if (stopped) {
                        return;
                    }
                    if (!waiting.getAsBoolean()) {
                        stop();
                        return;
                    }
                    if (failure != null) {
                        LOG.debug("chat={} queue status unavailable: {}", chatId, describe(failure));
                        return;
                    }
                    report.accept(availability);
                });
            } catch (RejectedExecutionException e) {
                // The chat's executor is shut down: the chat is gone.
                stopped = true;
                remove(this);
            }
        }
    }

    private static String describe(Throwable failure) {
        Throwable cause = CompletionFailures.unwrap(failure);
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }

    @Override
    public String toString() {
        return "QueueAvailabilityClient{queue=" + queueName + ", refresh=" + refreshInterval.toMillis() + "ms, " + platform + "}";
    }
}
