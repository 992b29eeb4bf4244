package io.deskbridge.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.deskbridge.spi.ServiceDeskException;

/** Catches the configuration error the tests of this package expect, checking its kind. */
final class ConfigurationErrors {
    private ConfigurationErrors() {}

    /** Runs {@code action} and returns the {@code CONFIGURATION} error it throws; fails if it throws none. */
    static ServiceDeskException configurationError(Runnable action) {
        try {
            action.run();
        } catch (ServiceDeskException e) {
            assertThat(e.kind()).as("kind of %s", e).isEqualTo(ServiceDeskException.Kind.CONFIGURATION);
            return e;
        }
        throw new AssertionError("expected a configuration error, but there was none");
    }
}
