package io.deskbridge.genesys.guestchat;

import io.deskbridge.core.ServiceDeskProvider;
import io.deskbridge.genesys.GenesysServiceDeskProvider;
import io.deskbridge.genesys.simulator.SimulatorAgentDriver;
import io.deskbridge.testkit.AgentDriver;
import io.deskbridge.testkit.ServiceDeskConformanceKit;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

/**
 * The whole conformance kit for the Genesys desk over guest chat, against the Genesys simulator on real loopback
 * sockets, with a short typing timeout and fast retries and reconnects.
 *
 * <p>Five tests are skipped, as the printed skip count says, each for a capability guest chat does not declare:
 * FILE_UPLOADS (three tests), USER_READ_RECEIPTS and AGENT_READ_RECEIPTS (Genesys guest chat has neither files nor
 * read receipts). Every declared capability runs, UPDATE_STATE before the start only (see
 * {@link io.deskbridge.genesys.simulator.SimulatorAgentDriver#vendorTakesUserUpdatesDuringChat()}).
 */
@DisplayName("Genesys guest chat desk: the conformance kit against the Genesys simulator")
class GenesysGuestChatConformanceTest extends ServiceDeskConformanceKit {
    private SimulatorAgentDriver driver;

    @Override
    protected ServiceDeskProvider provider() {
        return new GenesysServiceDeskProvider();
    }

    @Override
    protected AgentDriver agentDriver() {
        driver = SimulatorAgentDriver.startSimulator();
        return driver;
    }

    @Override
    protected Map<String, String> configuration() {
        Map<String, String> values = new HashMap<>(driver.configuration());
        values.remove("desk");
        values.putAll(SimulatedGenesys.fastTuning());
        return values;
    }

    @Override
    protected boolean virtualTime() {
        return false;
    }

    @Override
    protected Duration typingTimeout() {
        return Duration.ofSeconds(2);
    }
}
