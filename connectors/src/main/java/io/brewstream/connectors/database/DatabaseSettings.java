package io.brewstream.connectors.database;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;

/**
 * Where the operational PostgreSQL database is and how to log in. The URL is a plain
 * {@code jdbc:postgresql://host:port/database}; Debezium needs its parts separately.
 */
public record DatabaseSettings(String jdbcUrl, String user, String password) {
    private static final String PREFIX = "jdbc:postgresql://";

    public DatabaseSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        password = password == null ? "" : password;
        if (!jdbcUrl.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database): " + jdbcUrl);
        }
        URI uri = uri(jdbcUrl);
        if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
            throw new IllegalArgumentException("the JDBC URL needs a host and a database: " + jdbcUrl);
        }
    }

    public String host() {
        return uri(jdbcUrl).getHost();
    }

    public int port() {
        int port = uri(jdbcUrl).getPort();
        return port < 0 ? 5432 : port;
    }

    public String database() {
        return uri(jdbcUrl).getPath().substring(1);
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    private static URI uri(String jdbcUrl) {
        return URI.create("postgresql://" + jdbcUrl.substring(PREFIX.length()));
    }

    @Override
    public String toString() {
        return "DatabaseSettings[" + jdbcUrl + " as " + user + "]";
    }
}
