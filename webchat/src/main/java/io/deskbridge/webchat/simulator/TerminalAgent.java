package io.deskbridge.webchat.simulator;

import static java.util.Objects.requireNonNull;

import io.deskbridge.genesys.simulator.webmessaging.SimulatedWebMessagingSession;
import io.deskbridge.genesys.simulator.webmessaging.WebMessagingSimulator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent of the web messaging simulator, played from a terminal: each line is a command for the newest chat
 * ({@value #COMMANDS}). The web messaging simulator has no agent console, so this is how a person answers a chat
 * started in the web chat.
 *
 * <p>{@link #handle(String)} runs one command (thread-safe); {@link #readFrom(InputStream)} reads commands on one
 * daemon thread until the input ends.
 */
public final class TerminalAgent {
    private static final Logger LOG = LoggerFactory.getLogger(TerminalAgent.class);

    /** The commands, as shown to the person. */
    public static final String COMMANDS = "join NAME | say TEXT | type | read | end | chats | help";

    private final WebMessagingSimulator simulator;
    private final PrintStream out;
    private SimulatedWebMessagingSession newest;

    /** An agent for {@code simulator}'s chats that answers on {@code out}. */
    public TerminalAgent(WebMessagingSimulator simulator, PrintStream out) {
        this.simulator = requireNonNull(simulator, "simulator is null");
        this.out = requireNonNull(out, "out is null");
    }

    /** Reads commands from {@code in} on a daemon thread until it ends; returns that thread. */
    public Thread readFrom(InputStream in) {
        requireNonNull(in, "in is null");
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    handle(line);
                }
            } catch (IOException e) {
                LOG.warn("the terminal agent stopped reading commands: {}", e.toString());
            }
        }, "webchat-terminal-agent");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    /**
     * Runs one command on the newest chat and prints the outcome.
     *
     * @return whether the command was understood and applied
     */
    public synchronized boolean handle(String line) {
        String command = requireNonNull(line, "line is null").strip();
        if (command.isEmpty()) {
            return false;
        }
        int space = command.indexOf(' ');
        String word = space < 0 ? command : command.substring(0, space);
        String rest = space < 0 ? "" : command.substring(space + 1).strip();
        if (word.equals("help")) {
            out.println("Agent commands for the newest chat: " + COMMANDS);
            return true;
        }
        Optional<SimulatedWebMessagingSession> chat = newestChat();
        if (chat.isEmpty()) {
            out.println("No chat yet: press \"Talk to an agent\" in the web chat first.");
            return false;
        }
        SimulatedWebMessagingSession session = chat.get();
        switch (word) {
            case "join" -> session.agentJoins(rest.isEmpty() ? "Agent" : rest, Optional.empty());
            case "say" -> {
                if (rest.isEmpty()) {
                    out.println("say needs a text: say Hello, how can I help?");
                    return false;
                }
                session.agentSends(rest);
            }
            case "type" -> session.agentTypes(5000);
            case "read" -> session.agentReads();
            case "end" -> session.agentEnds();
            case "chats" -> {
                out.println("The newest chat: the user said " + session.userTexts());
                return true;
            }
            default -> {
                out.println("Unknown command '" + word + "'. Commands: " + COMMANDS);
                return false;
            }
        }
        out.println("done (" + word + ")");
        return true;
    }

    /** The newest chat a guest configured: every session the simulator announced since the last look, the last one kept. */
    private Optional<SimulatedWebMessagingSession> newestChat() {
        while (true) {
            try {
                newest = simulator.awaitSession(Duration.ZERO);
            } catch (AssertionError noNewerSession) {
                // The simulator's scripting API reports "none waiting" as an AssertionError (it is made for tests).
                return Optional.ofNullable(newest);
            }
        }
    }
}
