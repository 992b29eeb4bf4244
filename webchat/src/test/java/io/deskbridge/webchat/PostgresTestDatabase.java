package io.deskbridge.webchat;

import io.deskbridge.core.Secret;
import java.util.Optional;

/**
 * The PostgreSQL server the PostgreSQL variants of the session store tests run against, when the environment names one:
 * {@code DESKBRIDGE_TEST_POSTGRES_URL} (a {@code jdbc:postgresql:} URL on loopback), {@code DESKBRIDGE_TEST_POSTGRES_USER}
 * and {@code DESKBRIDGE_TEST_POSTGRES_PASSWORD}. {@code .ci/run} installs and starts one; without it those tests are
 * skipped, saying so.
 */
final class PostgresTestDatabase {
    static final String URL_VARIABLE = "DESKBRIDGE_TEST_POSTGRES_URL";

    private PostgresTestDatabase() {}

    static String url() {
        String url = System.getenv(URL_VARIABLE);
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalStateException(URL_VARIABLE + " must be a jdbc:postgresql: URL, not " + url);
        }
        return url;
    }

    static Optional<String> user() {
        return Optional.ofNullable(System.getenv("DESKBRIDGE_TEST_POSTGRES_USER")).filter(u -> !u.isEmpty());
    }

    static Optional<Secret> password() {
        return Optional.ofNullable(System.getenv("DESKBRIDGE_TEST_POSTGRES_PASSWORD")).filter(p -> !p.isEmpty()).map(Secret::new);
    }
}
