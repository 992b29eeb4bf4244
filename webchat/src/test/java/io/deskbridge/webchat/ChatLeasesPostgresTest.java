package io.deskbridge.webchat;

import io.deskbridge.core.Secret;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The lease tests of {@link ChatLeasesTest} on PostgreSQL, on tables of their own. */
@EnabledIfEnvironmentVariable(named = PostgresTestDatabase.URL_VARIABLE, matches = "jdbc:postgresql:.+",
        disabledReason = "no PostgreSQL server: set DESKBRIDGE_TEST_POSTGRES_URL (and _USER, _PASSWORD), as .ci/run does")
@DisplayName("Session leases on PostgreSQL")
class ChatLeasesPostgresTest extends ChatLeasesTest {
    @Override
    protected String url() {
        return PostgresTestDatabase.url();
    }

    @Override
    protected Optional<String> user() {
        return PostgresTestDatabase.user();
    }

    @Override
    protected Optional<Secret> password() {
        return PostgresTestDatabase.password();
    }
}
