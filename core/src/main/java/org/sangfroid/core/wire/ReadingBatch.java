package org.sangfroid.core.wire;

import java.util.List;
import java.util.Optional;
import org.sangfroid.core.check.Checks;

/**
 * A batch of readings from one agent, in strictly increasing {@code seq} order.
 *
 * @param oldest the oldest {@code seq} the agent still holds in its outbox (0 = not said): it
 *     has nothing older to send, because the gateway acknowledged it or the agent had to drop
 *     it. A gateway that never stored those readings (a new database, readings dropped on a
 *     full outbox) records them as a gap instead of waiting for them forever.
 * @param gaps ranges of {@code seq} below the batch's last one that the agent dropped from its
 *     full outbox (in-range readings go first, so the holes may sit between kept readings): a
 *     gateway records them as gaps instead of waiting for them forever. In increasing order,
 *     neither touching nor overlapping, none holding a reading of this batch; at most one per
 *     reading. Empty when nothing was dropped.
 */
public record ReadingBatch(String site, String agent, long oldest, List<Gap> gaps, List<Reading> readings) {
  /** The most readings one message may carry. */
  public static final int MAX_READINGS = 2000;

  /**
   * The sequence numbers {@code from..to}, both included.
   */
  public record Gap(long from, long to) {
    public Gap {
      Checks.requireAtLeast("gap.from", from, 1);
      Checks.require(to >= from, "gap.to", to, "be at least gap.from (" + from + ")");
    }

    /** How many sequence numbers the gap spans. */
    public long size() {
      return to - from + 1;
    }
  }

  public ReadingBatch {
    Checks.requireId("site", site);
    Checks.requireId("agent", agent);
    Checks.requireAtLeast("oldest", oldest, 0);
    readings = List.copyOf(readings);
    gaps = List.copyOf(gaps);
    Checks.require(
        !readings.isEmpty() && readings.size() <= MAX_READINGS,
        "readings", readings.size(), "hold 1 to " + MAX_READINGS + " readings");
    for (int i = 1; i < readings.size(); i++) {
      if (readings.get(i).seq() <= readings.get(i - 1).seq()) { // the field's name only when it is wrong
        Checks.require(false, "readings[" + i + "].seq", readings.get(i).seq(), "be greater than the one before");
      }
    }
    Checks.require(oldest <= readings.get(0).seq(), "oldest", oldest,
        "be at most the batch's first seq (" + readings.get(0).seq() + ")");
    checkGaps(gaps, readings).ifPresent(problem -> {
      throw new IllegalArgumentException(problem);
    });
  }

  /** A batch that says what the agent still holds and dropped nothing. */
  public ReadingBatch(String site, String agent, long oldest, List<Reading> readings) {
    this(site, agent, oldest, List.of(), readings);
  }

  /** A batch that does not say what the agent still holds. */
  public ReadingBatch(String site, String agent, List<Reading> readings) {
    this(site, agent, 0, List.of(), readings);
  }

  /**
   * What is wrong with {@code gaps} for {@code readings} (sorted by seq), in the
   * {@code Checks} message format; empty when they are valid.
   */
  static Optional<String> checkGaps(List<Gap> gaps, List<Reading> readings) {
    if (gaps.size() > readings.size()) {
      return Optional.of(Checks.message("gaps", gaps.size() + " items",
          "hold at most one gap per reading (" + readings.size() + ")"));
    }
    long last = readings.get(readings.size() - 1).seq();
    int r = 0;
    long previousTo = -1;
    for (int i = 0; i < gaps.size(); i++) {
      Gap g = gaps.get(i);
      if (g.from() <= previousTo + 1) {
        return Optional.of(Checks.message("gaps[" + i + "].from", g.from(),
            "be above the previous gap's end + 1 (" + (previousTo + 1) + ")"));
      }
      if (g.to() >= last) {
        return Optional.of(Checks.message("gaps[" + i + "].to", g.to(),
            "be below the last reading's seq (" + last + ")"));
      }
      while (r < readings.size() && readings.get(r).seq() < g.from()) {
        r++;
      }
      if (r < readings.size() && readings.get(r).seq() <= g.to()) {
        return Optional.of(Checks.message("gaps[" + i + "]", g.from() + ".." + g.to(),
            "hold none of the batch's readings", "holds seq " + readings.get(r).seq()));
      }
      previousTo = g.to();
    }
    return Optional.empty();
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
