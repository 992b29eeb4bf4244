package io.deskbridge.genesys;

import java.util.Arrays;

/** How the Genesys desk talks to Genesys Cloud for a chat: {@code genesys.transport}. */
public enum GenesysTransport {
    /**
     * Web Messaging, the guest API Genesys supports today: one WebSocket per chat to
     * {@code wss://webmessaging.{environment}/v1} and history over REST. The default.
     */
    WEB_MESSAGING("web-messaging"),
    /**
     * ACD web chat v2, the guest chat API: REST under {@code /api/v2/webchat/guest} and an event stream
     * WebSocket. Genesys stopped supporting it in June 2025; kept for organizations and simulators that still
     * speak it.
     */
    GUEST_CHAT("guest-chat");

    private final String configName;

    GenesysTransport(String configName) {
        this.configName = configName;
    }

    /** The value of {@code genesys.transport} that selects this transport. */
    public String configName() {
        return configName;
    }

    /** Every accepted value of {@code genesys.transport}. */
    static String[] configNames() {
        return Arrays.stream(values()).map(GenesysTransport::configName).toArray(String[]::new);
    }

    static GenesysTransport fromConfigName(String name) {
        for (GenesysTransport transport : values()) {
            if (transport.configName.equalsIgnoreCase(name)) {
                return transport;
            }
        }
        throw new IllegalArgumentException("unknown Genesys transport '" + name + "'");
    }
}
