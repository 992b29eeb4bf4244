package io.deskbridge.genesys.webmessaging;

import io.deskbridge.core.Configuration;
import io.deskbridge.core.ServiceDeskProvider;
import io.deskbridge.core.Settings;
import io.deskbridge.spi.Capability;
import java.net.URI;
import java.util.Set;

/**
 * The Genesys desk restricted to its web messaging transport, for this package's tests: it reads the shared
 * {@code genesys.*} keys the transport needs and installs {@link WebMessagingModule}.
 */
final class WebMessagingTestProvider implements ServiceDeskProvider {

    @Override
    public String name() {
        return "genesys";
    }

    @Override
    public Set<Capability> capabilities() {
        return WebMessagingServiceDesk.CAPABILITIES;
    }

    @Override
    public com.google.inject.Module module(Configuration configuration) {
        Settings settings = configuration.settings("genesys");
        settings.choice("transport", "web-messaging", "web-messaging");
        var environment = settings.optionalString("environment");
        URI api = settings.uri("apiBaseUrl").orElseGet(() -> URI.create("https://api." + environment.orElse("invalid")));
        String deploymentId = settings.requiredString("deploymentId");
        boolean authenticated = settings.bool("authenticatedChat", false);
        var shared = new WebMessagingSettings.Shared(environment, api, deploymentId, authenticated, settings.list("skills"),
                settings.optionalString("language"));
        WebMessagingSettings webMessaging = WebMessagingSettings.read(settings, shared);
        settings.validate();
        return new WebMessagingModule(webMessaging);
    }
}
