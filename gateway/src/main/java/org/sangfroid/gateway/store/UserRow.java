package org.sangfroid.gateway.store;

import java.util.Optional;

/**
 * A stored web user (schema V7; {@code email} V9).
 *
 * @param role viewer, technician, qm or admin
 * @param language en or fr
 * @param passwordHash Argon2id in PHC form
 * @param createdAt gateway clock, epoch ms
 * @param email the address alarm e-mails reach this user at, if given
 */
public record UserRow(String name, String role, String language, String passwordHash, long createdAt,
    Optional<String> email) {
  public UserRow(String name, String role, String language, String passwordHash, long createdAt) {
    this(name, role, language, passwordHash, createdAt, Optional.empty());
  }

  @Override
  public String toString() {
    return "UserRow[" + name + ", " + role + ", " + language + "]"; // never the hash
  }
}
