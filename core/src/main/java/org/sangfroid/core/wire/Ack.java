package org.sangfroid.core.wire;

import org.sangfroid.core.check.Checks;

/**
 * The gateway has durably stored every reading of the agent with {@code seq <= upTo}, and every
 * event with event seq {@code <= eventsUpTo}; the agent may forget them. Published retained, so an
 * agent that restarts learns it at once.
 */
public record Ack(long upTo, long time, long eventsUpTo) {
  public Ack {
    Checks.requireAtLeast("upTo", upTo, 0);
    Checks.requireAtLeast("eventsUpTo", eventsUpTo, 0);
  }

  /** An ack of readings only (no event stored yet). */
  public Ack(long upTo, long time) {
    this(upTo, time, 0);
  }
}
