package org.sangfroid.gateway.user;

import java.util.Optional;
import org.sangfroid.core.check.Checks;

/**
 * A person who logs in.
 *
 * @param name the login name ({@link Users#NAME_RULE})
 * @param passwordHash Argon2id in PHC form; never shown
 * @param createdAt gateway clock, epoch ms
 * @param email where alarm e-mails reach this user, if given: they come in the user's language
 */
public record User(String name, Role role, Language language, String passwordHash, long createdAt,
    Optional<String> email) {
  public User(String name, Role role, Language language, String passwordHash, long createdAt) {
    this(name, role, language, passwordHash, createdAt, Optional.empty());
  }

  public User {
    Checks.require(Users.validName(name), "name", name, Users.NAME_RULE);
    Checks.requireNonNull("role", role);
    Checks.requireNonNull("language", language);
    Checks.requireNonNull("passwordHash", passwordHash);
    Checks.requireNonNull("email", email);
  }

  @Override
  public String toString() {
    return "User[" + name + ", " + role.wire() + ", " + language.wire() + "]"; // never the hash
  }
}
