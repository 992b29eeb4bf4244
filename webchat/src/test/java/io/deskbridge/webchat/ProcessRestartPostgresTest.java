package io.deskbridge.webchat;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The process restart of {@link ProcessRestartTest} with the sessions in PostgreSQL, on a table of the test's own.
 * Runs when {@code DESKBRIDGE_TEST_POSTGRES_URL} names a server ({@link PostgresTestDatabase}).
 */
@EnabledIfEnvironmentVariable(named = PostgresTestDatabase.URL_VARIABLE, matches = "jdbc:postgresql:.+",
        disabledReason = "no PostgreSQL server: set DESKBRIDGE_TEST_POSTGRES_URL (and _USER, _PASSWORD), as .ci/run does")
@DisplayName("A web chat restart with webchat.store=jdbc on PostgreSQL loses no chat")
class ProcessRestartPostgresTest extends ProcessRestartTest {
    private final String table = "restart_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

    @Override
    protected Map<String, String> storeKeys() {
        Map<String, String> keys = new HashMap<>();
        keys.put("webchat.store.url", PostgresTestDatabase.url());
        keys.put("webchat.store.table", table);
        PostgresTestDatabase.user().ifPresent(user -> keys.put("webchat.store.user", user));
        PostgresTestDatabase.password().ifPresent(password -> keys.put("webchat.store.password", password.reveal()));
        return keys;
    }
}
