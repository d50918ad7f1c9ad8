package org.sangfroid.gateway.store;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.sangfroid.core.excursion.AlarmKind;

/**
 * A stored alarm: its condition (engine, measurement times, epoch ms) and its workflow (people).
 *
 * @param startedAt when the condition began (the first reading beyond the limit)
 * @param raisedAt when the delay was complete
 * @param clearedAt when the condition ended, empty while it holds
 * @param triggerValue the temperature that raised it (empty for monitoring lost)
 * @param limit the limit crossed (empty for monitoring lost)
 * @param peak the worst temperature of the episode, updated when it clears
 * @param late true when the readings arrived long after they were measured
 * @param acknowledged who acknowledged it, when and why; empty until then
 * @param closed who closed it, with root cause and disposition; empty until then
 */
public record AlarmRow(
    long id,
    String site,
    String unit,
    AlarmKind kind,
    long startedAt,
    long raisedAt,
    OptionalLong clearedAt,
    OptionalDouble triggerValue,
    OptionalDouble limit,
    OptionalDouble peak,
    boolean late,
    Optional<Acknowledgement> acknowledged,
    Optional<Closure> closed) {

  /** True while the engine says the condition holds. */
  public boolean conditionOn() {
    return clearedAt.isEmpty();
  }

  /** The one state shown to people, derived from the condition and the workflow. */
  public AlarmState state() {
    if (closed.isPresent()) {
      return AlarmState.CLOSED;
    }
    if (!conditionOn()) {
      return AlarmState.CLEARED;
    }
    return acknowledged.isPresent() ? AlarmState.ACKNOWLEDGED : AlarmState.ACTIVE;
  }
}
