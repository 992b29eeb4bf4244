package io.deskbridge.genesys.webmessaging;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import io.deskbridge.spi.ServiceDeskFactory;

/**
 * Wires the web messaging transport: its settings and the {@link ServiceDeskFactory} of the Genesys desk. The
 * {@link WebMessagingAuthCodeSource} is left to the application (its default refuses authenticated chats).
 */
public final class WebMessagingModule extends AbstractModule {
    private final WebMessagingSettings settings;

    public WebMessagingModule(WebMessagingSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    protected void configure() {
        bind(WebMessagingSettings.class).toInstance(settings);
        bind(ServiceDeskFactory.class).to(WebMessagingDeskFactory.class).in(Singleton.class);
    }
}
