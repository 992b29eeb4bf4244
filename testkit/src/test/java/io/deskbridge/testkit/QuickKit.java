package io.deskbridge.testkit;

import java.time.Duration;
import java.util.Map;

/**
 * The kit with short waits, for the kit's own runs of broken and minimal desks: a desk that never does what a test
 * waits for fails that test in a fraction of a second instead of after the default timeouts.
 */
abstract class QuickKit extends ServiceDeskConformanceKit {

    @Override
    protected Duration awaitTimeout() {
        return Duration.ofSeconds(3);
    }

    /** The reference desk's secret setting, declared with Settings.secret: its name does not look secret. */
    @Override
    protected Map<String, String> configuration() {
        return Map.of("reference.vendorPassphrase", "open-sesame-4711");
    }

    @Override
    protected Duration idleTimeout() {
        return Duration.ofMillis(200);
    }
}
