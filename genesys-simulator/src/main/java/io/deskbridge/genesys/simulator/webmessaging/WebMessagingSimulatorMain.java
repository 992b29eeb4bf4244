package io.deskbridge.genesys.simulator.webmessaging;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Runs the web messaging simulator for a person: prints the configuration that points deskbridge at it, then reads
 * agent commands from standard input and applies them to the newest chat.
 *
 * <pre>
 * java -cp deskbridge-genesys.jar:... io.deskbridge.genesys.simulator.webmessaging.WebMessagingSimulatorMain [deploymentId]
 * </pre>
 */
public final class WebMessagingSimulatorMain {
    private WebMessagingSimulatorMain() {}

    public static void main(String[] args) throws IOException {
        String deploymentId = args.length > 0 ? args[0] : "local-deployment";
        PrintStream out = System.out;
        try (WebMessagingSimulator simulator = WebMessagingSimulator.start(MessengerDeployment.defaults(deploymentId))) {
            out.println("Genesys web messaging simulator running. Configure deskbridge with:");
            out.println("  desk=genesys");
            out.println("  genesys.transport=web-messaging");
            out.println("  genesys.deploymentId=" + deploymentId);
            out.println("  genesys.webMessagingUrl=" + simulator.socketUrl());
            out.println("  genesys.apiBaseUrl=" + simulator.apiBaseUrl());
            out.println("  genesys.loginBaseUrl=" + simulator.apiBaseUrl());
            out.println("  genesys.organizationId=local-organization");
            out.println("  genesys.queueName=Local Queue");
            out.println("Commands (for the newest chat): join NAME | say TEXT | bot TEXT | type | read | end | drop | restore | expire | logout | quit");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            SimulatedWebMessagingSession chat = null;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String command = line.strip();
                if (command.equals("quit")) {
                    return;
                }
                try {
                    chat = newest(simulator, chat);
                } catch (AssertionError e) {
                    if (chat == null) {
                        out.println("No chat yet: start one from deskbridge first.");
                        continue;
                    }
                }
                String word = command.contains(" ") ? command.substring(0, command.indexOf(' ')) : command;
                String rest = command.contains(" ") ? command.substring(command.indexOf(' ') + 1) : "";
                switch (word) {
                    case "join" -> chat.agentJoins(rest.isBlank() ? "Agent" : rest, Optional.empty());
                    case "say" -> chat.agentSends(rest);
                    case "bot" -> chat.botSends(rest);
                    case "type" -> chat.agentTypes(5000);
                    case "read" -> chat.agentReads();
                    case "end" -> chat.agentEnds();
                    case "drop" -> chat.dropConnection();
                    case "restore" -> chat.restoreConnection();
                    case "expire" -> chat.expire();
                    case "logout" -> chat.logout();
                    default -> out.println("Unknown command: " + word);
                }
                out.println("chat " + chat.token() + ": guest said " + chat.userTexts());
            }
        }
    }

    private static SimulatedWebMessagingSession newest(WebMessagingSimulator simulator, SimulatedWebMessagingSession current) {
        SimulatedWebMessagingSession newest = current;
        try {
            while (true) {
                newest = simulator.awaitSession(newest == null ? Duration.ofMillis(1) : Duration.ZERO);
            }
        } catch (AssertionError noMore) {
            if (newest == null) {
                throw noMore;
            }
            return newest;
        }
    }
}
