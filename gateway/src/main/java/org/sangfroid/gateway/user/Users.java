package org.sangfroid.gateway.user;

import java.nio.CharBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.sangfroid.core.check.Checks;
import org.sangfroid.gateway.audit.AuditTrail;
import org.sangfroid.gateway.store.AuditRow;
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.store.UserRow;

/**
 * Adding users, checking logins, and a user's language. Every change is written to the audit
 * trail in the same transaction. Thread-safe.
 */
public final class Users {
  /** A login name: letters, digits, dot, dash, underscore and @, 1 to 64 characters. */
  public static final String NAME_RULE = "be 1 to 64 letters, digits, '.', '-', '_' or '@', starting with a letter"
      + " or digit";
  private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}._@-]{0,63}");
  /** An e-mail address as people write it: one @, a dot in the domain, no spaces or brackets. */
  public static final String EMAIL_RULE = "be an e-mail address such as a.benali@centre.example";
  private static final Pattern EMAIL = Pattern.compile("[^@\\s<>(),;:\"]{1,64}@[^@\\s<>(),;:\"]+\\.[^@\\s<>(),;:\"]+");

  private final GatewayStore store;
  private final AuditTrail audit;
  private final Clock clock;

  /** @param clock the gateway clock: when users were added */
  public Users(GatewayStore store, Clock clock) {
    this.store = store;
    this.audit = new AuditTrail(clock);
    this.clock = clock;
  }

  public static boolean validName(String name) {
    return name != null && NAME.matcher(name).matches() && !name.equals(AuditTrail.SYSTEM);
  }

  /** What came of {@link #add}. */
  public sealed interface Added {}

  /** Added and committed, with its audit entry. */
  public record Done(User user, AuditRow audit) implements Added {}

  /** Refused: every reason, in the Checks format. */
  public record Refused(List<String> problems) implements Added {
    public Refused {
      problems = List.copyOf(problems);
    }
  }

  /**
   * Adds user {@code name} with {@code password} (hashed here; never stored as given). Audited as
   * {@code user.added} by {@code by} (an admin, or "system" for the command line, which runs as
   * whoever may read the gateway's configuration and database), with {@code via} saying how.
   */
  public Added add(String by, String via, String name, Role role, Language language, char[] password) {
    return add(by, via, name, role, language, Optional.empty(), password);
  }

  /**
   * As above, with the address alarm e-mails reach the user at ({@link #EMAIL_RULE}; at most one
   * user per address): e-mails to it are written in the user's language.
   */
  public Added add(String by, String via, String name, Role role, Language language, Optional<String> email,
      char[] password) {
    List<String> problems = new ArrayList<>();
    Optional<String> address = email.map(String::strip);
    if (address.isPresent() && (address.get().length() > 254 || !EMAIL.matcher(address.get()).matches())) {
      problems.add(Checks.message("email", address.get(), EMAIL_RULE));
    }
    if (!validName(name)) {
      problems.add(Checks.message("name", name == null ? "" : name, NAME_RULE + (AuditTrail.SYSTEM.equals(name)
          ? ", and not be " + AuditTrail.SYSTEM + " (the gateway's own name)" : "")));
    }
    Passwords.weakness(CharBuffer.wrap(password)).ifPresent(problems::add);
    if (!problems.isEmpty()) {
      return new Refused(problems);
    }
    String hash = Passwords.hash(CharBuffer.wrap(password)); // before the transaction: it is slow
    return store.write(tx -> {
      if (tx.findUser(name).isPresent()) {
        return new Refused(List.of(Checks.message("name", name, "be new", "there is already a user " + name)));
      }
      if (address.isPresent()) {
        Optional<UserRow> other = tx.findUserByEmail(address.get());
        if (other.isPresent()) {
          return new Refused(List.of(Checks.message("email", address.get(), "belong to one user only",
              "user " + other.get().name() + " has it")));
        }
      }
      User u = new User(name, role, language, hash, clock.millis(), address);
      tx.insertUser(new UserRow(u.name(), role.wire(), language.wire(), hash, u.createdAt(), address));
      Map<String, Object> details = new TreeMap<>();
      details.put("role", role.wire());
      details.put("language", language.wire());
      address.ifPresent(a -> details.put("email", a));
      details.put("via", via);
      return new Done(u, audit.append(tx, by, "user.added", "user/" + name, details));
    });
  }

  /**
   * The user whose name and password these are; empty otherwise. Takes as long for an unknown
   * name as for a wrong password.
   */
  public Optional<User> login(String name, CharSequence password) {
    Optional<User> user = name == null || name.isEmpty() ? Optional.empty() : find(name);
    if (user.isEmpty()) {
      Passwords.matchNobody(password);
      return Optional.empty();
    }
    return Passwords.matches(password, user.get().passwordHash()) ? user : Optional.empty();
  }

  /** The user called {@code name}, if there is one. */
  public Optional<User> find(String name) {
    return store.user(name).map(Users::user);
  }

  /** A stored row as a user; a row the schema's CHECKs let through always maps. */
  private static User user(UserRow r) {
    return new User(r.name(), Role.fromWire(r.role()).orElseThrow(), Language.fromWire(r.language()).orElseThrow(),
        r.passwordHash(), r.createdAt(), r.email());
  }

  /** Stores the language {@code name} chose; audited as {@code user.language}. */
  public void setLanguage(String name, Language language) {
    store.write(tx -> {
      tx.setUserLanguage(name, language.wire());
      return audit.append(tx, name, "user.language", "user/" + name, Map.of("language", language.wire()));
    });
  }

  /** The language of the user whose e-mail address is {@code email}; empty when it is no user's. */
  public Optional<Language> languageOfEmail(String email) {
    return store.userByEmail(email.strip()).flatMap(r -> Language.fromWire(r.language()));
  }

  /** How many users there are. */
  public int count() {
    return store.users().size();
  }
}
