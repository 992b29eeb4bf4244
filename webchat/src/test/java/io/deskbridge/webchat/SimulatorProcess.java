package io.deskbridge.webchat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deskbridge.genesys.simulator.GenesysSimulator;
import io.deskbridge.genesys.simulator.SimulatedConversation;
import io.deskbridge.genesys.simulator.SimulatedTransport;
import io.deskbridge.genesys.simulator.webmessaging.SimulatedWebMessagingSession;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The Genesys organization of the multi-instance tests, in a process of its own so that it outlives the web chat
 * processes the tests kill: a {@link GenesysSimulator} scripted over standard input, one command a line, each answered
 * with one line {@code OK <json>} or {@code ERR <text>}.
 *
 * <ul>
 *   <li>{@code config <transport>}: the deskbridge keys that point a web chat at it ({@code WEB_MESSAGING} or
 *       {@code GUEST_CHAT}), as a JSON object</li>
 *   <li>{@code join <transport>}: takes the next new chat of that transport, and an agent joins it</li>
 *   <li>{@code send <text>}: the agent sends a message in the current chat</li>
 *   <li>{@code userTexts}: what the user sent in it, as a JSON array</li>
 *   <li>{@code connections}: how many web messaging sockets the current chat has open (-1 on guest chat)</li>
 *   <li>{@code endedByUser}: whether the user ended it</li>
 * </ul>
 */
public final class SimulatorProcess {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private SimulatorProcess() {}

    /** What the agent does in the current chat, on either transport. */
    private record Chat(java.util.function.Consumer<String> sends, java.util.function.Supplier<List<String>> userTexts,
            java.util.function.IntSupplier connections, java.util.function.BooleanSupplier endedByUser) {}

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (GenesysSimulator genesys = GenesysSimulator.builder().build().start();
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            out.println("READY");
            Chat chat = null;
            for (String line; (line = in.readLine()) != null; ) {
                String command = line.contains(" ") ? line.substring(0, line.indexOf(' ')) : line;
                String argument = line.contains(" ") ? line.substring(line.indexOf(' ') + 1) : "";
                try {
                    Object answer;
                    switch (command) {
                        case "config" -> answer = genesys.deskbridgeConfiguration(SimulatedTransport.valueOf(argument));
                        case "join" -> {
                            chat = join(genesys, SimulatedTransport.valueOf(argument));
                            answer = true;
                        }
                        case "send" -> {
                            chat.sends().accept(argument);
                            answer = true;
                        }
                        case "userTexts" -> answer = chat.userTexts().get();
                        case "connections" -> answer = chat.connections().getAsInt();
                        case "endedByUser" -> answer = chat.endedByUser().getAsBoolean();
                        default -> throw new IllegalArgumentException("unknown command " + command);
                    }
                    out.println("OK " + JSON.writeValueAsString(answer));
                } catch (RuntimeException | AssertionError e) {
                    out.println("ERR " + String.valueOf(e.getMessage()).replace('\n', ' '));
                }
            }
        }
    }

    private static Chat join(GenesysSimulator genesys, SimulatedTransport transport) {
        if (transport == SimulatedTransport.WEB_MESSAGING) {
            SimulatedWebMessagingSession session = genesys.webMessaging().awaitSession(WAIT);
            session.agentJoins("Ada Agent", Optional.empty());
            return new Chat(session::agentSends, session::userTexts, session::openConnections, session::endedByUser);
        }
        SimulatedConversation conversation = genesys.awaitConversation(WAIT);
        if (!conversation.awaitRouted(WAIT)) {
            throw new IllegalStateException("the guest chat was not routed");
        }
        conversation.agentJoins("ada", "Ada Agent");
        return new Chat(conversation::agentSends, conversation::guestMessages, () -> -1, conversation::endedByGuest);
    }
}
