package org.sangfroid.gateway.user;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a user may do in the web app and the API. Each role can do what the one before it can:
 *
 * <ul>
 *   <li>{@code viewer}: reads everything (units, readings, alarms, the audit trail)
 *   <li>{@code technician}: also records a restock (the person who empties and refills a unit
 *       records it; the unit's alarms stay open for the quality manager's decision)
 *   <li>{@code qm} (quality manager): also acknowledges and closes alarms
 *   <li>{@code admin}: also manages users
 * </ul>
 */
public enum Role {
  VIEWER, TECHNICIAN, QM, ADMIN;

  /** As written in the database, the command line and the API. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> fromWire(String text) {
    return Arrays.stream(values()).filter(r -> r.wire().equals(text)).findFirst();
  }

  /** True when this role may do what {@code needed} may. */
  public boolean atLeast(Role needed) {
    return compareTo(needed) >= 0;
  }
}
