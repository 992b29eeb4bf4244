package io.deskbridge.webchat;

import io.deskbridge.core.Secret;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Every session store test against a real PostgreSQL server (the driver the runnable jar ships with), each test on a
 * table of its own that it drops afterwards. Runs when {@code DESKBRIDGE_TEST_POSTGRES_URL} names a server, as
 * {@code .ci/run} arranges ({@link PostgresTestDatabase}).
 */
@EnabledIfEnvironmentVariable(named = PostgresTestDatabase.URL_VARIABLE, matches = "jdbc:postgresql:.+",
        disabledReason = "no PostgreSQL server: set DESKBRIDGE_TEST_POSTGRES_URL (and _USER, _PASSWORD), as .ci/run does")
@DisplayName("The JDBC session store (webchat.store=jdbc), against PostgreSQL")
class JdbcSessionStorePostgresTest extends JdbcSessionStoreTest {

    @Override
    protected String jdbcUrl() {
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

    @AfterEach
    void dropTables() throws SQLException {
        closeStores(); // before the tables go, so that no store is left writing to them
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
            s.execute("DROP TABLE IF EXISTS " + table + "_2");
        }
    }
}
