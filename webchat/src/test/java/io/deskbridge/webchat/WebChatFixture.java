package io.deskbridge.webchat;

import io.deskbridge.core.Configuration;
import io.deskbridge.core.Deskbridge;
import io.deskbridge.core.ServiceDeskProvider;
import io.deskbridge.core.ServiceDeskProviders;
import io.deskbridge.webchat.session.SessionStore;
import java.net.URI;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A web chat server on a free loopback port over a desk the test chooses, with the deskbridge it runs on; fresh per
 * test, both closed after it.
 */
final class WebChatFixture implements AutoCloseable {
    final Deskbridge deskbridge;
    final WebChatServer server;

    private WebChatFixture(Deskbridge deskbridge, WebChatServer server) {
        this.deskbridge = deskbridge;
        this.server = server;
    }

    /** A web chat over the desk {@code provider}, with {@code keys} ({@code desk} and the port are set). */
    static WebChatFixture start(ServiceDeskProvider provider, Map<String, String> keys) {
        return start(provider, keys, null, null);
    }

    /** As {@link #start(ServiceDeskProvider, Map)}, with the server's clock and session store when not null. */
    static WebChatFixture start(ServiceDeskProvider provider, Map<String, String> keys, Clock clock, SessionStore store) {
        Map<String, String> all = new HashMap<>();
        all.put("desk", provider.name());
        all.putAll(keys);
        return start(all, Optional.of(provider), clock, store);
    }

    /**
     * A web chat over the desk {@code keys} name, found on the class path as in production (the example desk, or
     * Genesys); the port is set.
     */
    static WebChatFixture start(Map<String, String> keys) {
        return start(keys, Optional.empty(), null, null);
    }

    private static WebChatFixture start(Map<String, String> keys, Optional<ServiceDeskProvider> provider, Clock clock, SessionStore store) {
        Map<String, String> all = new HashMap<>();
        all.put("webchat.port", "0");
        all.putAll(keys);
        Configuration configuration = Configuration.of(all);
        Deskbridge.Builder deskbridgeBuilder = Deskbridge.builder().configuration(configuration);
        provider.ifPresent(p -> deskbridgeBuilder.providers(ServiceDeskProviders.of(List.of(p))));
        Deskbridge deskbridge = deskbridgeBuilder.build();
        try {
            WebChatServer.Builder builder = WebChatServer.builder(deskbridge, WebChatSettings.read(configuration));
            if (clock != null) {
                builder.clock(clock);
            }
            if (store != null) {
                builder.store(store);
            }
            return new WebChatFixture(deskbridge, builder.start());
        } catch (RuntimeException e) {
            deskbridge.close();
            throw e;
        }
    }

    URI uri() {
        return server.uri();
    }

    @Override
    public void close() {
        server.close();
        deskbridge.close();
    }
}
