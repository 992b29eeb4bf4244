package io.deskbridge.testkit;

import java.time.Duration;

/**
 * The kit's hand on the vendor's side of a desk: it plays the contact center (agents, queue, faults) against the
 * desk under test, through the vendor's fake or simulator. A desk's conformance test provides one.
 *
 * <p>Methods a driver cannot support throw {@link DriverHookMissing}. A test that needs such a hook for a capability the
 * desk declares <b>fails</b> naming the hook (a declared capability must prove itself); any other test that needs it
 * is skipped, saying which hook to implement. Called from the test thread only.
 */
public interface AgentDriver extends AutoCloseable {

    /**
     * Called once the desk under test is wired, before any chat starts: a driver of an in-process vendor takes its
     * objects from the runtime here ({@code runtime.getInstance(MyVendor.class)}).
     */
    default void attach(io.deskbridge.core.Deskbridge runtime) {}

    /**
     * Whether agents are online for new chats (what {@code areAnyAgentsOnline} should see). Agents are online
     * when the driver starts.
     */
    default void setAgentsOnline(boolean online) {
        throw new DriverHookMissing("AgentDriver.setAgentsOnline");
    }

    /** The vendor refuses the next chat a desk tries to start (as a vendor outage or a rejected deployment would). */
    default void rejectNextChat() {
        throw new DriverHookMissing("AgentDriver.rejectNextChat");
    }

    /**
     * The next chat the desk opened at the vendor, waiting at most {@code timeout} (real time) for it to arrive.
     * Chats are handed out in the order the vendor saw them, each once.
     *
     * @throws AssertionError if no chat arrived in time
     */
    AgentSideChat awaitChat(Duration timeout);

    /**
     * Whether the vendor records a user's locale at all. A vendor without one (its chats carry a name but no language)
     * returns {@code false}, and the kit then checks only the name for {@code UPDATE_STATE}; say why in the override.
     */
    default boolean vendorKeepsLocale() {
        return true;
    }

    /**
     * Whether the vendor can learn of a changed name once the chat started (an update call, or details that travel
     * with the user's next message). A vendor that takes the user's details only when the chat opens returns
     * {@code false}, and the kit then checks {@code UPDATE_STATE} before the start only; say why in the override.
     */
    default boolean vendorTakesUserUpdatesDuringChat() {
        return true;
    }

    /** Releases what the driver holds (servers, sockets). */
    @Override
    default void close() {}
}
