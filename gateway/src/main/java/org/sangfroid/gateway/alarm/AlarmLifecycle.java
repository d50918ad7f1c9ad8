package org.sangfroid.gateway.alarm;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.gateway.store.AlarmRow;

/**
 * The rules of an alarm's workflow, apart from its condition (which only the engine changes).
 *
 * <ul>
 *   <li>Acknowledge: while the alarm is not closed, once.
 *   <li>Close: once acknowledged (closing implies someone took it), and only when the condition is
 *       over — except for kinds that never clear by themselves ({@link #closableWhileOn}), whose
 *       allowance is spent for good.
 * </ul>
 *
 * Each method returns empty when the transition is allowed, else why not (for a 409), naming the
 * alarm. Pure.
 */
public final class AlarmLifecycle {
  /** Kinds whose condition never ends by itself: they may be closed while it holds. */
  public static final Set<AlarmKind> NEVER_CLEAR = EnumSet.of(AlarmKind.CUMULATIVE_EXPOSURE, AlarmKind.EPISODE_LIMIT,
      AlarmKind.TRANSIT_TIME);

  private AlarmLifecycle() {}

  /** True when an alarm of {@code kind} may be closed while its condition still holds. */
  public static boolean closableWhileOn(AlarmKind kind) {
    return NEVER_CLEAR.contains(kind);
  }

  /** Why {@code a} cannot be acknowledged now, or empty when it can. */
  public static Optional<String> refuseAcknowledge(AlarmRow a) {
    if (a.closed().isPresent()) {
      return Optional.of("alarm " + a.id() + " is closed: it can no longer be acknowledged.");
    }
    if (a.acknowledged().isPresent()) {
      return Optional.of("alarm " + a.id() + " was already acknowledged by " + a.acknowledged().get().user()
          + " at " + Instant.ofEpochMilli(a.acknowledged().get().at()) + ": it is acknowledged once.");
    }
    return Optional.empty();
  }

  /** Why {@code a} cannot be closed now, or empty when it can. */
  public static Optional<String> refuseClose(AlarmRow a) {
    if (a.closed().isPresent()) {
      return Optional.of("alarm " + a.id() + " is already closed.");
    }
    if (a.acknowledged().isEmpty()) {
      return Optional.of("alarm " + a.id() + " is not acknowledged: acknowledge it (with a comment) before"
          + " closing it.");
    }
    if (a.conditionOn() && !closableWhileOn(a.kind())) {
      return Optional.of("alarm " + a.id() + " is still active: it can be closed once the condition is over.");
    }
    return Optional.empty();
  }
}
