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

/** A web chat server on a free loopback port over a desk the test chooses; fresh per test, closed after it. */
final class WebChatFixture implements AutoCloseable {
    final Deskbridge deskbridge;
    final WebChatServer server;

    private WebChatFixture(Deskbridge deskbridge, WebChatServer server) {
        this.deskbridge = deskbridge;
        this.server = server;
    }

    static WebChatFixture start(ServiceDeskProvider provider, Map<String, String> keys) {
        return start(provider, keys, null, null);
    }

    static WebChatFixture start(ServiceDeskProvider provider, Map<String, String> keys, Clock clock, SessionStore store) {
        Map<String, String> all = new HashMap<>();
        all.put("desk", provider.name());
        all.put("webchat.port", "0");
        all.putAll(keys);
        Configuration configuration = Configuration.of(all);
        Deskbridge deskbridge = Deskbridge.builder().configuration(configuration).providers(ServiceDeskProviders.of(List.of(provider))).build();
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
