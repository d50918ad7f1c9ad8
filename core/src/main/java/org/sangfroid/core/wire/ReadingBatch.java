package org.sangfroid.core.wire;

import java.util.List;
import org.sangfroid.core.check.Checks;

/** A batch of readings from one agent, in strictly increasing {@code seq} order. */
public record ReadingBatch(String site, String agent, List<Reading> readings) {
  /** The most readings one message may carry. */
  public static final int MAX_READINGS = 2000;

  public ReadingBatch {
    Checks.requireId("site", site);
    Checks.requireId("agent", agent);
    readings = List.copyOf(readings);
    Checks.require(
        !readings.isEmpty() && readings.size() <= MAX_READINGS,
        "readings", readings.size(), "hold 1 to " + MAX_READINGS + " readings");
    for (int i = 1; i < readings.size(); i++) {
      Checks.require(
          readings.get(i).seq() > readings.get(i - 1).seq(),
          "readings[" + i + "].seq", readings.get(i).seq(), "be greater than the one before");
    }
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
