package io.deskbridge.testkit;

/**
 * Thrown by an {@link AgentDriver} or {@link AgentSideChat} method the driver does not implement. The kit turns
 * it into a skipped test whose message names the hook to implement to run it.
 */
public final class DriverHookMissing extends RuntimeException {
    private final String hook;

    public DriverHookMissing(String hook) {
        super("implement " + hook + " to run this test");
        this.hook = hook;
    }

    /** The method to implement, for example {@code AgentSideChat.transferTo}. */
    public String hook() {
        return hook;
    }
}
