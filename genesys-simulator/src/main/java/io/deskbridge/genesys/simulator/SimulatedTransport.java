package io.deskbridge.genesys.simulator;

import java.util.Arrays;
import java.util.Optional;

/**
 * The Genesys guest API a simulator serves a desk on, named as the Genesys desk's {@code genesys.transport} names
 * it. The simulator keeps its own enum rather than using the desk's, so that the production desk never needs the
 * simulator and the simulator never needs the desk.
 */
public enum SimulatedTransport {
    /** Web Messaging: one WebSocket per guest session and history over REST. */
    WEB_MESSAGING("web-messaging"),
    /** ACD web chat v2 (guest chat): REST under {@code /api/v2/webchat/guest} and an event stream. */
    GUEST_CHAT("guest-chat");

    private final String configName;

    SimulatedTransport(String configName) {
        this.configName = configName;
    }

    /** The value of the desk's {@code genesys.transport} for this transport. */
    public String configName() {
        return configName;
    }

    /** The transport a {@code genesys.transport} value names, if any. */
    public static Optional<SimulatedTransport> fromConfigName(String name) {
        return Arrays.stream(values()).filter(t -> t.configName.equalsIgnoreCase(name)).findFirst();
    }
}
