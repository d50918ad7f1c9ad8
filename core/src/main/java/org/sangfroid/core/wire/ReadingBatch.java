package org.sangfroid.core.wire;

import java.util.List;
import org.sangfroid.core.check.Checks;

/**
 * A batch of readings from one agent, in strictly increasing {@code seq} order.
 *
 * @param oldest the oldest {@code seq} the agent still holds in its outbox (0 = not said): it
 *     has nothing older to send, because the gateway acknowledged it or the agent had to drop
 *     it. A gateway that never stored those readings (a new database, readings dropped on a
 *     full outbox) records them as a gap instead of waiting for them forever.
 */
public record ReadingBatch(String site, String agent, long oldest, List<Reading> readings) {
  /** The most readings one message may carry. */
  public static final int MAX_READINGS = 2000;

  public ReadingBatch {
    Checks.requireId("site", site);
    Checks.requireId("agent", agent);
    Checks.requireAtLeast("oldest", oldest, 0);
    readings = List.copyOf(readings);
    Checks.require(
        !readings.isEmpty() && readings.size() <= MAX_READINGS,
        "readings", readings.size(), "hold 1 to " + MAX_READINGS + " readings");
    for (int i = 1; i < readings.size(); i++) {
      Checks.require(
          readings.get(i).seq() > readings.get(i - 1).seq(),
          "readings[" + i + "].seq", readings.get(i).seq(), "be greater than the one before");
    }
    Checks.require(oldest <= readings.get(0).seq(), "oldest", oldest,
        "be at most the batch's first seq (" + readings.get(0).seq() + ")");
  }

  /** A batch that does not say what the agent still holds. */
  public ReadingBatch(String site, String agent, List<Reading> readings) {
    this(site, agent, 0, readings);
  }

  /** The first sequence number in the batch. */
  public long firstSeq() {
    return readings.get(0).seq();
  }

  /** The last sequence number in the batch. */
  public long lastSeq() {
    return readings.get(readings.size() - 1).seq();
  }
}
