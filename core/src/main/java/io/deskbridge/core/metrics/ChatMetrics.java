package io.deskbridge.core.metrics;

import static java.util.Objects.requireNonNull;

import io.deskbridge.core.ChatStatus;
import io.deskbridge.spi.ServiceDeskException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every chat of one runtime adds up to, measured by {@link io.deskbridge.core.ChatSession} from the contract's
 * calls and callbacks, whatever the desk:
 *
 * <ul>
 *   <li>{@value #CHATS} (gauge): open chats by {@code state}: {@code starting}, {@code waiting}, {@code with_agent},
 *       {@code transferring}, {@code agent_left}; their sum is the chats open</li>
 *   <li>{@value #STARTED} (counter): starts by {@code kind} ({@code new}, {@code resumed}) and {@code outcome}
 *       ({@code started}, {@code failed}; a resume that finds the chat over is {@code failed})</li>
 *   <li>{@value #ENDED} (counter): open chats that ended, by {@code cause} ({@code user}, {@code agent})</li>
 *   <li>{@value #MESSAGES} (counter): messages by {@code direction}: {@code to_agent} (accepted by the desk),
 *       {@code to_user} (delivered to the application)</li>
 *   <li>{@value #MESSAGES_FAILED} (counter): user messages the desk failed, by {@code error} (the
 *       {@link ServiceDeskException.Kind}, lower case, or {@code internal})</li>
 * </ul>
 *
 * Thread-safe. Tagged with the desk and transport ({@link DeskTags}), never a chat or a user.
 */
public final class ChatMetrics {
    public static final String CHATS = "deskbridge.chats";
    public static final String STARTED = "deskbridge.chats.started";
    public static final String ENDED = "deskbridge.chats.ended";
    public static final String MESSAGES = "deskbridge.messages";
    public static final String MESSAGES_FAILED = "deskbridge.messages.failed";

    private final MeterRegistry registry;
    private final DeskTags tags;
    private final Map<ChatStatus, AtomicInteger> open = new EnumMap<>(ChatStatus.class);
    private final Counter toAgent;
    private final Counter toUser;

    public ChatMetrics(MeterRegistry registry, DeskTags tags) {
        this.registry = requireNonNull(registry, "registry is null");
        this.tags = requireNonNull(tags, "tags is null");
        for (ChatStatus status : ChatStatus.values()) {
            stateName(status).ifPresent(name -> {
                AtomicInteger count = new AtomicInteger();
                open.put(status, count);
                Gauge.builder(CHATS, count, AtomicInteger::get).description("Open chats by state").tags(tags.with("state", name))
                        .strongReference(true).register(registry);
            });
        }
        this.toAgent = Counter.builder(MESSAGES).description("Chat messages").tags(tags.with("direction", "to_agent")).register(registry);
        this.toUser = Counter.builder(MESSAGES).description("Chat messages").tags(tags.with("direction", "to_user")).register(registry);
        for (String kind : new String[] {"new", "resumed"}) {
            for (String outcome : new String[] {"started", "failed"}) {
                started(kind, outcome);
            }
        }
        ended("user");
        ended("agent");
    }

    /** Metrics that go nowhere (a registry without meters). */
    public static ChatMetrics none() {
        return new ChatMetrics(new CompositeMeterRegistry(), new DeskTags("none", "default"));
    }

    /**
     * A chat moved from {@code from} to {@code to}; {@code resuming} says whether it was started by a reconnect. Called
     * once per change, in the order of the changes of that chat.
     */
    public void transition(ChatStatus from, ChatStatus to, boolean resuming) {
        if (from == to) {
            return;
        }
        AtomicInteger before = open.get(from);
        if (before != null) {
            before.decrementAndGet();
        }
        AtomicInteger after = open.get(to);
        if (after != null) {
            after.incrementAndGet();
        }
        if (from == ChatStatus.STARTING) {
            started(resuming ? "resumed" : "new", to == ChatStatus.FAILED ? "failed" : "started").increment();
        }
        if (from != ChatStatus.NEW && !from.isTerminal()) {
            if (to == ChatStatus.ENDED_BY_USER) {
                ended("user").increment();
            } else if (to == ChatStatus.ENDED_BY_AGENT) {
                ended("agent").increment();
            }
        }
    }

    /** The desk accepted a user's message. */
    public void messageToAgent() {
        toAgent.increment();
    }

    /** The desk failed a user's message with {@code failure}. */
    public void messageFailed(Throwable failure) {
        Counter.builder(MESSAGES_FAILED).description("User messages the desk failed").tags(tags.with("error", errorType(failure)))
                .register(registry).increment();
    }

    /** An agent's message reached the application. */
    public void messageToUser() {
        toUser.increment();
    }

    private Counter started(String kind, String outcome) {
        return Counter.builder(STARTED).description("Chats started").tags(tags.with("kind", kind, "outcome", outcome)).register(registry);
    }

    private Counter ended(String cause) {
        return Counter.builder(ENDED).description("Open chats that ended").tags(tags.with("cause", cause)).register(registry);
    }

    /** The {@code error} tag of a failure: the kind of a {@link ServiceDeskException}, else {@code internal}. */
    static String errorType(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof ServiceDeskException sde) {
            return sde.kind().name().toLowerCase(Locale.ROOT);
        }
        return "internal";
    }

    private static Optional<String> stateName(ChatStatus status) {
        return switch (status) {
            case STARTING -> Optional.of("starting");
            case WAITING -> Optional.of("waiting");
            case JOINED -> Optional.of("with_agent");
            case TRANSFERRING -> Optional.of("transferring");
            case AGENT_LEFT -> Optional.of("agent_left");
            case NEW, FAILED, ENDED_BY_AGENT, ENDED_BY_USER -> Optional.empty();
        };
    }
}
