package org.sangfroid.gateway.store;

import java.nio.file.Path;
import java.util.Optional;
import org.sangfroid.core.check.Checks;

/**
 * Where the gateway's database is: an SQLite file ({@code jdbc:sqlite:FILE}) or a PostgreSQL
 * database ({@code jdbc:postgresql://HOST:PORT/NAME}) with its login. Its text form never shows
 * the password.
 *
 * @param username PostgreSQL only; empty: the driver's default
 * @param password PostgreSQL only; empty: none
 */
public record Database(String url, Optional<String> username, Optional<String> password) {
  public Database {
    Checks.requireNonNull("database.url", url);
    Checks.requireNonNull("database.username", username);
    Checks.requireNonNull("database.password", password);
    Checks.require(Dialect.of(url).isPresent(), "database.url", name(url),
        "start with jdbc:sqlite: or jdbc:postgresql://");
  }

  /** The SQLite file {@code file}. */
  public static Database sqlite(Path file) {
    return new Database(Dialect.SQLITE.prefix() + file.toAbsolutePath(), Optional.empty(), Optional.empty());
  }

  /** The SQLite file, or empty for a database on a server. */
  public Optional<Path> file() {
    return dialect() == Dialect.SQLITE ? Optional.of(Path.of(url.substring(Dialect.SQLITE.prefix().length())))
        : Optional.empty();
  }

  /** What messages call it: the SQLite file, or the URL without its parameters. */
  public String name() {
    return name(url);
  }

  private static String name(String url) {
    if (url.startsWith(Dialect.SQLITE.prefix())) {
      return url.substring(Dialect.SQLITE.prefix().length());
    }
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query);
  }

  Dialect dialect() {
    return Dialect.of(url).orElseThrow();
  }

  @Override
  public String toString() {
    return name() + username.map(u -> " as " + u).orElse("");
  }
}
