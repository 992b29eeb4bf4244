package io.deskbridge.genesys;

import com.google.auto.service.AutoService;
import com.google.inject.Module;
import io.deskbridge.core.Configuration;
import io.deskbridge.core.ServiceDeskProvider;
import io.deskbridge.genesys.guestchat.GuestChatServiceDeskFactory;
import io.deskbridge.spi.Capability;
import java.util.Set;

/**
 * The Genesys Cloud desk, {@code desk=genesys}, configured by the {@code genesys.*} keys (see
 * {@link GenesysSettings}). Cheap to construct; {@link #module(Configuration)} checks the configuration.
 */
@AutoService(ServiceDeskProvider.class)
public final class GenesysServiceDeskProvider implements ServiceDeskProvider {

    /** The desk's name and configuration prefix. */
    public static final String NAME = GenesysSettings.PREFIX;

    @Override
    public String name() {
        return NAME;
    }

    /**
     * What the desk supports when fully configured; without OAuth client credentials ({@code genesys.clientId},
     * {@code genesys.clientSecret}) a chat does not offer {@code AGENTS_ONLINE} and {@code QUEUE_STATUS}.
     */
    @Override
    public Set<Capability> capabilities() {
        return GuestChatServiceDeskFactory.capabilitiesFor(true);
    }

    @Override
    public Module module(Configuration configuration) {
        return new GenesysModule(GenesysSettings.read(configuration));
    }
}
