package org.sangfroid.gateway.store;

/**
 * A stored web user (schema V7).
 *
 * @param role viewer, technician, qm or admin
 * @param language en or fr
 * @param passwordHash Argon2id in PHC form
 * @param createdAt gateway clock, epoch ms
 */
public record UserRow(String name, String role, String language, String passwordHash, long createdAt) {
  @Override
  public String toString() {
    return "UserRow[" + name + ", " + role + ", " + language + "]"; // never the hash
  }
}
