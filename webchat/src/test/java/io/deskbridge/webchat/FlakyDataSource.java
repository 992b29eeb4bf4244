package io.deskbridge.webchat;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** A database whose connections the test can cut, as a database that went down does: new connections are refused. */
final class FlakyDataSource implements DataSource {
    private final String url;
    private final Optional<String> user;
    private final Optional<String> password;
    private volatile boolean down;
    final AtomicInteger refused = new AtomicInteger();

    FlakyDataSource(String url, Optional<String> user, Optional<String> password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    void down() {
        down = true;
    }

    void up() {
        down = false;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (down) {
            refused.incrementAndGet();
            throw new SQLException("Connection refused (the test took the database down)", "08001");
        }
        return DriverManager.getConnection(url, user.orElse(null), password.orElse(null));
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return false;
    }
}
