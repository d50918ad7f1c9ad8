package org.sangfroid.simulator.report;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.excursion.AlarmKind;

/**
 * An alarm as the gateway stored it (read from its API).
 *
 * @param startedAt when its condition began (measurement time)
 * @param raisedAt when the gateway raised it (simulated time)
 * @param clearedAt when its condition ended, if it did
 * @param late true when the readings behind it arrived long after they were measured
 */
public record RaisedAlarm(long id, String unit, AlarmKind kind, Instant startedAt, Instant raisedAt,
    Optional<Instant> clearedAt, OptionalDouble peak, boolean late) {
  public RaisedAlarm {
    Checks.requireNonNull("unit", unit);
    Checks.requireNonNull("kind", kind);
    Checks.requireNonNull("startedAt", startedAt);
    Checks.requireNonNull("raisedAt", raisedAt);
    Checks.requireNonNull("clearedAt", clearedAt);
    Checks.requireNonNull("peak", peak);
  }
}
