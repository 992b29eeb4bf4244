package io.deskbridge.genesys.platform;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.CompletionFailures;
import io.deskbridge.spi.AgentAvailability;
import io.deskbridge.spi.AgentsOnline;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both Genesys transports tell a user about the queue ({@code genesys.queueName}): whether agents are online
 * ({@code AGENTS_ONLINE}) and, while the user waits for the first agent, how many chats wait and the estimated wait
 * ({@code QUEUE_STATUS}). Built on the {@link GenesysPlatformClient}, so it needs the OAuth client credentials
 * ({@link #isConfigured()}); one instance serves every chat of a desk.
 */
public final class QueueAvailabilityClient {
    private static final Logger LOG = LoggerFactory.getLogger(QueueAvailabilityClient.class);

    private final GenesysPlatformClient platform;
    private final String queueName;
    private final QueueMediaType mediaType;
    private final ScheduledExecutorService scheduler;
    private final Duration refreshInterval;

    /**
     * @param queueName the queue chats are routed to ({@code genesys.queueName})
     * @param mediaType the media type of the transport's conversations, the ones the waiting count counts
     * @param scheduler the shared scheduler that times the refreshes
     * @param refreshInterval how often the queue status is refreshed while a user waits
     *     ({@code genesys.availabilityRefreshInterval})
     */
    public QueueAvailabilityClient(GenesysPlatformClient platform, String queueName, QueueMediaType mediaType,
            ScheduledExecutorService scheduler, Duration refreshInterval) {
        this.platform = requireNonNull(platform, "platform is null");
        this.queueName = requireNonNull(queueName, "queueName is null");
        this.mediaType = requireNonNull(mediaType, "mediaType is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.refreshInterval = requireNonNull(refreshInterval, "refreshInterval is null");
        if (refreshInterval.isNegative() || refreshInterval.isZero()) {
            throw new IllegalArgumentException("refreshInterval must be positive: " + refreshInterval);
        }
    }

    /** Whether OAuth client credentials are configured, so that the queue can be asked at all. */
    public boolean isConfigured() {
        return platform.isConfigured();
    }

    /**
     * Whether any agent is on the queue (idle or busy): {@code ONLINE} or {@code OFFLINE}; {@code UNKNOWN} when
     * Genesys cannot be asked or does not answer (the failure is logged with {@code chatId}). Never fails.
     */
    public CompletableFuture<AgentsOnline> agentsOnline(String chatId) {
        requireNonNull(chatId, "chatId is null");
        return platform.queueId(queueName)
                .thenCompose(queueId -> platform.observeQueue(queueId, mediaType))
                .handle((observation, failure) -> {
                    if (failure != null) {
                        LOG.warn("chat={} could not tell whether agents are online: {}", chatId, describe(failure));
                        return AgentsOnline.UNKNOWN;
                    }
                    LOG.debug("chat={} queue {}: {} agents on queue, {} idle", chatId, observation.queueId(),
                            observation.onQueueAgents(), observation.idleAgents());
                    return observation.anyAgentOnQueue() ? AgentsOnline.ONLINE : AgentsOnline.OFFLINE;
                });
    }

    /**
     * The queue status now: the waiting chats (as an upper bound of the position) and the estimated wait, for the
     * conversation when its id is known. An estimate Genesys cannot give is left empty; a failed observation fails.
     */
    public CompletableFuture<AgentAvailability> queueStatus(Optional<String> conversationId) {
        requireNonNull(conversationId, "conversationId is null");
        return platform.queueId(queueName).thenCompose(queueId -> {
            CompletableFuture<QueueObservation> observed = platform.observeQueue(queueId, mediaType);
            CompletableFuture<Optional<Duration>> wait = platform.estimatedWait(queueId, mediaType, conversationId)
                    .exceptionally(failure -> Optional.empty());
            return observed.thenCombine(wait, QueueAvailabilityClient::availability);
        });
    }

    /** The user-facing status of an observation: the waiting count as position, the estimate, and a sentence. */
    public static AgentAvailability availability(QueueObservation observation, Optional<Duration> estimatedWait) {
        requireNonNull(observation, "observation is null");
        requireNonNull(estimatedWait, "estimatedWait is null");
        String message;
        if (!observation.anyAgentOnQueue()) {
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
     * Reports the queue status of one waiting chat now and every refresh interval after, until {@code waiting} turns
     * false or the watch is {@linkplain QueueWatch#stop() stopped}. {@code waiting} and {@code report} run on
     * {@code chatExecutor} (the chat's serial executor), so they may touch the chat's state; one refresh at a time.
     * A refresh that fails is logged at debug level and skipped: the next one tries again.
     *
     * @param conversationId the Genesys conversation, for a per-conversation estimate, when the transport knows it
     */
    public QueueWatch watchWhileWaiting(String chatId, Executor chatExecutor, Supplier<Optional<String>> conversationId,
            BooleanSupplier waiting, Consumer<AgentAvailability> report) {
        QueueWatch watch = new QueueWatch(chatId, chatExecutor, conversationId, waiting, report);
        watch.start();
        return watch;
    }

    /** The refreshes of one waiting chat; {@link #stop()} ends them. */
    public final class QueueWatch {
        private final String chatId;
        private final Executor chatExecutor;
        private final Supplier<Optional<String>> conversationId;
        private final BooleanSupplier waiting;
        private final Consumer<AgentAvailability> report;
        // Confined to the chat's executor.
        private ScheduledFuture<?> task;
        private boolean inFlight;
        private boolean stopped;

        private QueueWatch(String chatId, Executor chatExecutor, Supplier<Optional<String>> conversationId, BooleanSupplier waiting,
                Consumer<AgentAvailability> report) {
            this.chatId = requireNonNull(chatId, "chatId is null");
            this.chatExecutor = requireNonNull(chatExecutor, "chatExecutor is null");
            this.conversationId = requireNonNull(conversationId, "conversationId is null");
            this.waiting = requireNonNull(waiting, "waiting is null");
            this.report = requireNonNull(report, "report is null");
        }

        private void start() {
            long period = refreshInterval.toMillis();
            task = scheduler.scheduleWithFixedDelay(() -> chatExecutor.execute(this::refresh), 0, period, TimeUnit.MILLISECONDS);
        }

        /** Ends the refreshes; a refresh in flight reports nothing. Call it on the chat's executor. Idempotent. */
        public void stop() {
            stopped = true;
            if (task != null) {
                task.cancel(false);
            }
        }

        private void refresh() {
            if (stopped || inFlight) {
                return;
            }
            if (!waiting.getAsBoolean()) {
                stop();
                return;
            }
            inFlight = true;
            queueStatus(conversationId.get()).whenCompleteAsync((availability, failure) -> {
                inFlight = false;
                if (stopped || !waiting.getAsBoolean()) {
                    return;
                }
                if (failure != null) {
                    LOG.debug("chat={} queue status unavailable: {}", chatId, describe(failure));
                    return;
                }
                report.accept(availability);
            }, chatExecutor);
        }
    }

    private static String describe(Throwable failure) {
        Throwable cause = CompletionFailures.unwrap(failure);
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }

    @Override
    public String toString() {
        return "QueueAvailabilityClient{queue=" + queueName + ", " + platform + "}";
    }
}
