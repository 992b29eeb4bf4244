package io.deskbridge.desk.example;

import static java.util.Objects.requireNonNull;

import io.deskbridge.desk.example.ContactCenterTypes.Agent;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The autopilot of the {@link ExampleContactCenter}: two simulated agents who answer every chat, so the example desk
 * can be tried without anyone playing the agent. On by default; {@code example.autopilot=false} turns it off for
 * tests that play the agent themselves.
 *
 * <p>A new chat waits {@link ExampleSettings#joinDelay()} in the queue, hearing its position and wait every
 * {@link ExampleSettings#queueUpdateInterval()}; then {@link #FIRST} joins, greets the user and lists the commands.
 * The agent reacts to each user message in turn, after {@link ExampleSettings#readDelay()} (read receipt) and a
 * {@link ExampleSettings#typingPause()} of typing. Commands are matched on the trimmed text, ignoring case:
 * <dl>
 *   <dt>{@value #HELP}</dt><dd>lists the commands again;</dd>
 *   <dt>{@value #SOMEONE_ELSE}</dt><dd>transfers the chat to the other agent: transfer, the agent leaves, after
 *       {@link ExampleSettings#transferDelay()} the other joins and greets the user;</dd>
 *   <dt>{@value #LEAVE}</dt><dd>the agent says goodbye and leaves; the chat stays open and goes back to the queue,
 *       and after another {@link ExampleSettings#joinDelay()} the other agent joins and greets the user;</dd>
 *   <dt>{@value #DISCONNECT}</dt><dd>the chat's connection drops for {@link ExampleSettings#reconnectDelay()}; the
 *       agent writes during the outage, and the desk delivers that message when the connection is back;</dd>
 *   <dt>{@value #END_CHAT}</dt><dd>the agent says goodbye and ends the chat;</dd>
 *   <dt>anything else</dt><dd>the agent answers with one of its canned replies, in turn;</dd>
 *   <dt>files</dt><dd>the agent confirms their names and sizes.</dd>
 * </dl>
 * Messages sent while no agent is in the chat (in the queue, during a transfer) are answered once the next agent
 * has greeted the user. Everything runs on the shared scheduler: one pending timer per active chat, no thread.
 */
public final class SimulatedAgent {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedAgent.class);

    /** The command that lists the commands. */
    public static final String HELP = "help";
    /** The command that transfers the chat to the other agent. */
    public static final String SOMEONE_ELSE = "someone else";
    /** The command that makes the agent leave the chat. */
    public static final String LEAVE = "leave";
    /** The command that drops the connection for a while. */
    public static final String DISCONNECT = "disconnect and reconnect";
    /** The command that makes the agent end the chat. */
    public static final String END_CHAT = "end chat";

    /** The agent who answers new chats. */
    public static final Agent FIRST = new Agent("ada", "Ada", Optional.of(avatar('A', "#2f6fab")));
    /** The agent a chat is transferred to, or who takes over when the first one leaves. */
    public static final Agent SECOND = new Agent("sam", "Sam", Optional.of(avatar('S', "#8a4fa3")));

    private static final List<Agent> AGENTS = List.of(FIRST, SECOND);
    private static final Map<String, List<String>> REPLIES = Map.of(
            FIRST.id(), List.of(
                    "Thanks, I have noted that.",
                    "Let me check... everything looks fine on my side.",
                    "Good question! As a simulated agent I can only pretend to know the answer."),
            SECOND.id(), List.of(
                    "Understood.",
                    "I see. Is there anything else I can do for you?",
                    "That is interesting; tell me more."));

    private final ExampleContactCenter center;
    private final ScheduledExecutorService scheduler;
    private final ExampleSettings settings;
    private final Map<String, Script> scripts = new ConcurrentHashMap<>();

    @Inject
    public SimulatedAgent(ExampleContactCenter center, ScheduledExecutorService scheduler, ExampleSettings settings) {
        this.center = requireNonNull(center, "center is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.settings = requireNonNull(settings, "settings is null");
        center.addConsoleListener(new ExampleContactCenter.ConsoleListener() {
            @Override
            public void chatOpened(String chatId) {
                Script script = new Script(chatId);
                scripts.put(chatId, script);
                script.append(waitInQueueThenJoin(script, FIRST));
            }

            @Override
            public void userMessage(String chatId, String text) {
                Script script = scripts.get(chatId);
                if (script != null) {
                    script.append(List.of(new Step(Duration.ZERO, () -> script.prepend(reactTo(script, text)))));
                }
            }

            @Override
            public void userFiles(String chatId, List<ExampleContactCenter.Attachment> files) {
                Script script = scripts.get(chatId);
                if (script != null) {
                    script.append(List.of(new Step(Duration.ZERO, () -> script.prepend(acknowledge(script, files)))));
                }
            }

            @Override
            public void chatEndedByUser(String chatId) {
                Script script = scripts.remove(chatId);
                if (script != null) {
                    script.stop();
                }
            }
        });
    }

    /** The agent the user is not talking to when in a chat with {@code agent}. */
    static Agent other(Agent agent) {
        return agent.id().equals(FIRST.id()) ? SECOND : FIRST;
    }

    // ------------------------------------------------------------------ what the agents do

    private List<Step> waitInQueueThenJoin(Script script, Agent agent) {
        List<Step> steps = new ArrayList<>();
        long joinMillis = settings.joinDelay().toMillis();
        long intervalMillis = settings.queueUpdateInterval().toMillis();
        long at = 0;
        while (at < joinMillis) {
            long remaining = joinMillis - at;
            int position = (int) Math.min(Integer.MAX_VALUE, (remaining + intervalMillis - 1) / intervalMillis);
            steps.add(new Step(Duration.ofMillis(at == 0 ? 0 : intervalMillis),
                    () -> center.setQueueStatus(script.chatId, OptionalInt.of(position), Optional.of(Duration.ofMillis(remaining)))));
            at += intervalMillis;
        }
        long lastUpdate = at == 0 ? 0 : at - intervalMillis;
        steps.add(new Step(Duration.ofMillis(joinMillis - lastUpdate), () -> join(script, agent)));
        steps.addAll(greeting(script, agent));
        return steps;
    }

    private void join(Script script, Agent agent) {
        script.agent = Optional.of(agent);
        center.agentJoins(script.chatId, agent);
        LOG.debug("conversation={} simulated agent {} joined", script.chatId, agent.id());
    }

    private List<Step> greeting(Script script, Agent agent) {
        String hello = center.userName(script.chatId).map(name -> "Hi " + name + "! ").orElse("Hi! ")
                + "I'm " + agent.name() + ", a simulated agent of the example service desk.";
        return List.of(
                typing(script, Duration.ZERO),
                say(script, settings.typingPause(), hello),
                typing(script, Duration.ZERO),
                say(script, settings.typingPause(), instructions(agent)));
    }

    static String instructions(Agent agent) {
        return "Here is what you can ask me:\n"
                + "- **" + HELP + "**: show this list again\n"
                + "- **" + SOMEONE_ELSE + "**: talk to " + other(agent).name() + " instead\n"
                + "- **" + LEAVE + "**: I leave the chat and another agent takes over after a while\n"
                + "- **" + DISCONNECT + "**: your connection drops for a moment, and no message is lost\n"
                + "- **" + END_CHAT + "**: I end the chat\n"
                + "Anything else, I answer as well as a simulation can.";
    }

    private List<Step> reactTo(Script script, String text) {
        Optional<Agent> present = script.agent;
        if (present.isEmpty()) {
            return List.of();
        }
        Agent agent = present.get();
        String command = text.trim().toLowerCase(Locale.ROOT);
        Step read = new Step(settings.readDelay(), () -> center.agentReads(script.chatId));
        List<Step> steps = new ArrayList<>();
        steps.add(read);
        switch (command) {
            case HELP -> {
                steps.add(typing(script, Duration.ZERO));
                steps.add(say(script, settings.typingPause(), instructions(agent)));
            }
            case SOMEONE_ELSE -> {
                Agent next = other(agent);
                steps.add(new Step(Duration.ZERO, () -> center.transfer(script.chatId, Optional.of(next))));
                steps.add(new Step(Duration.ZERO, () -> leave(script)));
                steps.add(new Step(settings.transferDelay(), () -> join(script, next)));
                steps.addAll(greeting(script, next));
            }
            case LEAVE -> {
                steps.add(typing(script, Duration.ZERO));
                steps.add(say(script, settings.typingPause(),
                        "I have to go now. " + other(agent).name() + " will be with you shortly."));
                steps.add(new Step(Duration.ZERO, () -> leave(script)));
                steps.add(new Step(Duration.ZERO, () -> script.prepend(waitInQueueThenJoin(script, other(agent)))));
            }
            case DISCONNECT -> {
                Duration half = settings.reconnectDelay().dividedBy(2);
                steps.add(typing(script, Duration.ZERO));
                steps.add(say(script, settings.typingPause(), "I'm dropping your connection for a moment."));
                steps.add(new Step(Duration.ZERO, () -> center.dropConnection(script.chatId)));
                steps.add(say(script, half, "I wrote this while you were disconnected: you see it once, when you are back."));
                steps.add(new Step(settings.reconnectDelay().minus(half), () -> center.restoreConnection(script.chatId)));
            }
            case END_CHAT -> {
                steps.add(typing(script, Duration.ZERO));
                steps.add(say(script, settings.typingPause(), "Thank you for chatting with us. Goodbye!"));
                steps.add(new Step(Duration.ZERO, () -> {
                    center.agentEnds(script.chatId);
                    scripts.remove(script.chatId);
                }));
            }
            default -> {
                steps.add(typing(script, Duration.ZERO));
                List<String> replies = REPLIES.get(agent.id());
                String reply = replies.get(script.replies++ % replies.size());
                steps.add(say(script, settings.typingPause(), reply));
            }
        }
        return steps;
    }

    private List<Step> acknowledge(Script script, List<ExampleContactCenter.Attachment> files) {
        if (script.agent.isEmpty()) {
            return List.of();
        }
        String received = files.stream().map(f -> f.fileName() + " (" + f.size() + " bytes)").collect(java.util.stream.Collectors.joining(", "));
        return List.of(
                new Step(settings.readDelay(), () -> center.agentReads(script.chatId)),
                typing(script, Duration.ZERO),
                say(script, settings.typingPause(), "Thanks, I received " + received + "."));
    }

    private void leave(Script script) {
        script.agent = Optional.empty();
        center.agentLeaves(script.chatId);
    }

    private Step typing(Script script, Duration delay) {
        return new Step(delay, () -> center.agentTyping(script.chatId, true));
    }

    private Step say(Script script, Duration delay, String text) {
        // The agent simply sends: the desk turns the typing indicator off before the message (rule 9).
        return new Step(delay, () -> center.agentSends(script.chatId, text));
    }

    private static URI avatar(char initial, String colour) {
        String svg = "<svg xmlns='http://www.w3.org/2000/svg' width='64' height='64' viewBox='0 0 64 64'>"
                + "<circle cx='32' cy='32' r='32' fill='" + colour + "'/>"
                + "<text x='32' y='42' font-family='sans-serif' font-size='30' fill='#fff' text-anchor='middle'>" + initial + "</text>"
                + "</svg>";
        return URI.create("data:image/svg+xml;base64," + Base64.getEncoder().encodeToString(svg.getBytes(StandardCharsets.UTF_8)));
    }

    // ------------------------------------------------------------------ running the steps

    /** One thing the agent does, {@code delay} after the previous one. */
    private record Step(Duration delay, Runnable action) {}

    /**
     * The steps of one chat, run one after the other on the scheduler: each step is scheduled when the one before it
     * has run, so a chat's steps never overlap and keep their order whatever the scheduler's threads.
     */
    private final class Script {
        final String chatId;
        private final Deque<Step> steps = new ArrayDeque<>();
        private boolean running;
        private boolean stopped;
        private ScheduledFuture<?> pending;
        // Read and written by the steps, which run one at a time.
        volatile Optional<Agent> agent = Optional.empty();
        int replies;

        Script(String chatId) {
            this.chatId = chatId;
        }

        synchronized void append(List<Step> more) {
            steps.addAll(more);
            startIfIdle();
        }

        /** Puts steps before the remaining ones (a step expanding into several). */
        synchronized void prepend(List<Step> first) {
            for (int i = first.size() - 1; i >= 0; i--) {
                steps.addFirst(first.get(i));
            }
            startIfIdle();
        }

        synchronized void stop() {
            stopped = true;
            steps.clear();
            if (pending != null) {
                pending.cancel(false);
            }
        }

        private void startIfIdle() {
            if (!running && !stopped) {
                running = true;
                scheduleNext();
            }
        }

        /** Holds the script's lock. */
        private void scheduleNext() {
            Step next = steps.poll();
            if (next == null || stopped) {
                running = false;
                return;
            }
            pending = scheduler.schedule(() -> run(next), next.delay().toMillis(), TimeUnit.MILLISECONDS);
        }

        private void run(Step step) {
            synchronized (this) {
                if (stopped) {
                    return;
                }
            }
            try {
                step.action().run();
            } catch (IllegalStateException e) {
                // The chat ended under the agent's feet (the user ended it): nothing more to do.
                LOG.debug("conversation={} simulated agent stops: {}", chatId, e.getMessage());
                scripts.remove(chatId);
                stop();
                return;
            }
            synchronized (this) {
                scheduleNext();
            }
        }
    }
}
