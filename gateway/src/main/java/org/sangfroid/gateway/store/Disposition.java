package org.sangfroid.gateway.store;

import java.util.Locale;
import java.util.Optional;

/** What the quality manager decided for the products in the unit when closing an alarm. */
public enum Disposition {
  /** The products stay in use. */
  RELEASED,
  /** The products are held until a decision is made elsewhere. */
  QUARANTINED,
  /** The products are destroyed. */
  DISCARDED;

  /** As in JSON and the database: {@code released}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The disposition written {@code text} ({@code released}, …), if it is one. */
  public static Optional<Disposition> fromWire(String text) {
    for (Disposition d : values()) {
      if (d.wire().equals(text)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }
}
