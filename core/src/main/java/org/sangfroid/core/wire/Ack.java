package org.sangfroid.core.wire;

import org.sangfroid.core.check.Checks;

/**
 * The gateway has durably stored every reading of the agent with {@code seq <= upTo}; the agent
 * may forget them. Published retained, so an agent that restarts learns it at once.
 */
public record Ack(long upTo, long time) {
  public Ack {
    Checks.requireAtLeast("upTo", upTo, 0);
  }
}
