package org.sangfroid.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import org.sangfroid.gateway.GatewayApp;
import org.sangfroid.gateway.audit.AuditTrail;
import org.sangfroid.gateway.config.GatewayConfig;
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.user.Language;
import org.sangfroid.gateway.user.Passwords;
import org.sangfroid.gateway.user.Role;
import org.sangfroid.gateway.user.Users;

/**
 * A web user of a gateway this program starts (the demo's, a test's), and its password: made at
 * random, at least as strong as the gateway asks, and added to the gateway's database before it
 * starts.
 */
public record WebLogin(String name, String password) {
  private static final String PASSWORD_LINE = "password: ";

  /** Adds {@code name} with a new random password to the database {@code config} names. */
  public static WebLogin create(GatewayConfig config, String name, Role role, String via) {
    WebLogin login = new WebLogin(name, Passwords.random());
    try (GatewayStore store = GatewayStore.open(GatewayApp.database(config))) {
      login.addTo(store, role, via);
    }
    return login;
  }

  /**
   * The demo's login, kept in {@code file} so that a demo restarted on the same folder (--dir)
   * keeps it: read from the file when it exists (and added again if the database was removed),
   * otherwise made, added and written there, readable by its owner only.
   */
  public static WebLogin kept(GatewayConfig config, Path file, String name, Role role) {
    try (GatewayStore store = GatewayStore.open(GatewayApp.database(config))) {
      boolean known = new Users(store, Clock.systemUTC()).find(name).isPresent();
      if (Files.exists(file)) {
        WebLogin login = new WebLogin(name, read(file));
        if (!known) {
          login.addTo(store, role, "demo");
        }
        return login;
      }
      if (known) {
        throw new IllegalStateException("The folder's database already has a web user " + name + " but its password"
            + " file " + file + " is gone: start the demo in a new folder.");
      }
      WebLogin login = new WebLogin(name, Passwords.random());
      login.addTo(store, role, "demo");
      Files.writeString(file, "# The demo's login to its web app\nname: " + name + "\n" + PASSWORD_LINE + login.password
          + "\n", StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      return login;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the demo's login to " + file, e);
    }
  }

  private void addTo(GatewayStore store, Role role, String via) {
    Users.Added added = new Users(store, Clock.systemUTC()).add(AuditTrail.SYSTEM, via, name, role, Language.EN,
        password.toCharArray());
    if (added instanceof Users.Refused r) {
      throw new IllegalStateException("Cannot add the web user " + name + ": " + String.join("; ", r.problems()));
    }
  }

  private static String read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    return lines.stream().filter(l -> l.startsWith(PASSWORD_LINE)).map(l -> l.substring(PASSWORD_LINE.length()).strip())
        .findFirst().orElseThrow(() -> new IllegalStateException(file + " has no '" + PASSWORD_LINE.strip() + "' line"));
  }
}
