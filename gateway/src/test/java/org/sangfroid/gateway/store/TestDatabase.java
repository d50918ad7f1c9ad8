package org.sangfroid.gateway.store;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;

/**
 * A fresh, empty gateway database for one test: an SQLite file in the test's directory, or a
 * schema of its own in the PostgreSQL database at {@code SANGFROID_TEST_PG_URL} (default
 * {@value #DEFAULT_PG_URL}, login from {@code SANGFROID_TEST_PG_USER} and
 * {@code SANGFROID_TEST_PG_PASSWORD}), dropped again by {@link #close()}. Nothing is started:
 * .ci/run starts PostgreSQL. Without it the PostgreSQL runs are skipped, saying why, except on CI
 * (CI=true), where they fail, so CI cannot pass without running them.
 *
 * <p>Test classes run against both with {@code @ParameterizedClass @EnumSource(Vendor.class)}.
 */
public final class TestDatabase implements AutoCloseable {
  static final String DEFAULT_PG_URL = "jdbc:postgresql://127.0.0.1:5432/sangfroid_test";
  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  /** Whether PostgreSQL answered the first time it was asked; empty until then. */
  private static Optional<String> unreachable;

  /** The databases the store runs on. */
  public enum Vendor {
    SQLITE, POSTGRESQL
  }

  private final Vendor vendor;
  private final Database database;
  private final Optional<String> schema;

  private TestDatabase(Vendor vendor, Database database, Optional<String> schema) {
    this.vendor = vendor;
    this.database = database;
    this.schema = schema;
  }

  /** A new empty database: {@code dir/gateway.db}, or a new PostgreSQL schema. */
  public static TestDatabase create(Vendor vendor, Path dir) {
    if (vendor == Vendor.SQLITE) {
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new TestDatabase(vendor, Database.sqlite(dir.resolve("gateway.db")), Optional.empty());
    }
    requirePostgres();
    String schema = "test_" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
    admin("CREATE SCHEMA " + schema);
    String url = pgUrl() + (pgUrl().contains("?") ? "&" : "?") + "currentSchema=" + schema;
    return new TestDatabase(vendor, new Database(url, pgUser(), pgPassword()), Optional.of(schema));
  }

  /** A database that does not exist: a file not created, or a PostgreSQL database not created. */
  public static Database missing(Vendor vendor, Path dir) {
    if (vendor == Vendor.SQLITE) {
      return Database.sqlite(dir.resolve("missing.db"));
    }
    requirePostgres();
    String url = pgUrl().replaceFirst("/[^/?]*(\\?|$)", "/sangfroid_missing$1");
    return new Database(url, pgUser(), pgPassword());
  }

  public Vendor vendor() {
    return vendor;
  }

  public Database database() {
    return database;
  }

  /** {@link GatewayStore#open} of this database. */
  public GatewayStore open() {
    return GatewayStore.open(database);
  }

  /** A plain connection (auto-commit) to this database, for what a test does behind the store's back. */
  public Connection connect() throws SQLException {
    if (vendor == Vendor.SQLITE) {
      return DriverManager.getConnection(database.url());
    }
    return DriverManager.getConnection(database.url(), login());
  }

  /** Runs {@code statements} on a plain connection. */
  public void execute(String... statements) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  /** Migrates this database up to schema version {@code target} only, as an older gateway did. */
  public void migrateTo(String target) {
    Flyway.configure()
        .dataSource(database.url(), database.username().orElse(null), database.password().orElse(null))
        .locations(database.dialect().migrations())
        .target(target)
        .load()
        .migrate();
  }

  /** Drops the PostgreSQL schema; the SQLite file goes with the test's directory. */
  @Override
  public void close() {
    schema.ifPresent(s -> admin("DROP SCHEMA " + s + " CASCADE"));
  }

  @Override
  public String toString() {
    return vendor.name();
  }

  private static void requirePostgres() {
    String why = reachability();
    if (why.isEmpty()) {
      return;
    }
    if ("true".equals(System.getenv("CI"))) {
      fail(why + " (CI starts it in .ci/run, so these tests must not be skipped there)");
    }
    assumeTrue(false, why + ": the PostgreSQL run is skipped. Set SANGFROID_TEST_PG_URL, SANGFROID_TEST_PG_USER"
        + " and SANGFROID_TEST_PG_PASSWORD, or see .ci/run.");
  }

  /** Empty when PostgreSQL answers; otherwise why not. Asked once per test run. */
  private static synchronized String reachability() {
    if (unreachable == null) {
      Properties p = login();
      p.setProperty("connectTimeout", "3");
      try (Connection c = DriverManager.getConnection(pgUrl(), p)) {
        unreachable = Optional.empty();
      } catch (SQLException e) {
        unreachable = Optional.of("PostgreSQL at " + pgUrl() + " is not reachable (" + e.getMessage() + ")");
      }
    }
    return unreachable.orElse("");
  }

  private static void admin(String sql) {
    try (Connection c = DriverManager.getConnection(pgUrl(), login()); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + " failed on " + pgUrl() + ": " + e.getMessage(), e);
    }
  }

  private static Properties login() {
    Properties p = new Properties();
    pgUser().ifPresent(u -> p.setProperty("user", u));
    pgPassword().ifPresent(pw -> p.setProperty("password", pw));
    return p;
  }

  private static String pgUrl() {
    return env("SANGFROID_TEST_PG_URL").orElse(DEFAULT_PG_URL);
  }

  private static Optional<String> pgUser() {
    return env("SANGFROID_TEST_PG_USER").or(() -> Optional.of("sangfroid_test"));
  }

  private static Optional<String> pgPassword() {
    return env("SANGFROID_TEST_PG_PASSWORD").or(() -> Optional.of("sangfroid_test"));
  }

  private static Optional<String> env(String name) {
    return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
  }
}
