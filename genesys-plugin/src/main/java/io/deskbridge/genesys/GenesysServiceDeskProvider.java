package io.deskbridge.genesys;

import com.google.auto.service.AutoService;
import com.google.inject.Module;
import io.deskbridge.core.Configuration;
import io.deskbridge.core.ServiceDeskProvider;
import io.deskbridge.spi.Capability;
import java.util.Map;
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
     * What the desk supports with its default transport, web messaging, when nothing else is known: without OAuth
     * client credentials ({@link #capabilities(Configuration)} tells the truth for a given configuration).
     */
    @Override
    public Set<Capability> capabilities() {
        return GenesysSettings.capabilities(Configuration.of(Map.of()));
    }

    /**
     * What the desk supports with {@code configuration}: {@link GenesysSettings#capabilities(Configuration)}, the
     * selected transport's capabilities, with {@code AGENTS_ONLINE} and {@code QUEUE_STATUS} only with OAuth client
     * credentials; the same set {@link GenesysSettings#capabilities()} gives the factories once the settings are read.
     */
    @Override
    public Set<Capability> capabilities(Configuration configuration) {
        return GenesysSettings.capabilities(configuration);
    }

    /** {@code web-messaging} or {@code guest-chat}, as {@code genesys.transport} selects (web messaging when unset or malformed). */
    @Override
    public String transport(Configuration configuration) {
        String transport = configuration.get(GenesysSettings.PREFIX + ".transport").orElse(GenesysTransport.WEB_MESSAGING.configName());
        return transport.equalsIgnoreCase(GenesysTransport.GUEST_CHAT.configName())
                ? GenesysTransport.GUEST_CHAT.configName() : GenesysTransport.WEB_MESSAGING.configName();
    }

    @Override
    public Module module(Configuration configuration) {
        return new GenesysModule(GenesysSettings.read(configuration));
    }
}
