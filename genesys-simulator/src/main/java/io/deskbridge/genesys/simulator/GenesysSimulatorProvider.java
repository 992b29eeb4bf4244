package io.deskbridge.genesys.simulator;

import com.google.auto.service.AutoService;
import io.deskbridge.core.Configuration;
import io.deskbridge.core.VendorSimulator;
import io.deskbridge.core.VendorSimulatorProvider;

/**
 * The Genesys simulator for applications that offer a vendor simulator by name ({@code webchat.simulator=genesys}):
 * starts an {@link InProcessGenesys}, both transports and the agent console, with the desk pointed at the transport
 * {@code genesys.transport} names.
 */
@AutoService(VendorSimulatorProvider.class)
public final class GenesysSimulatorProvider implements VendorSimulatorProvider {

    @Override
    public String name() {
        return "genesys";
    }

    @Override
    public VendorSimulator start(Configuration configuration) {
        return InProcessGenesys.start(configuration);
    }
}
