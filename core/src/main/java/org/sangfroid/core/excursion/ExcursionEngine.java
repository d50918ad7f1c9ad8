package org.sangfroid.core.excursion;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.sangfroid.core.excursion.LimitState.Phase;

/**
 * Turns readings into alarm events: {@code (state, reading) -> (state, events)}, on measurement
 * time. Pure and stateless; the caller keeps the {@link UnitState}.
 *
 * <p>Threshold rule: a reading beyond a limit starts a pending excursion; if every reading for
 * {@link Profile#delay()} stays beyond it, the alarm is raised with the first such reading's time
 * as its start. A reading back within the limit before then resets it. An alarm clears on the
 * first reading back inside the limit by {@link Profile#hysteresis()}, so a temperature wobbling
 * on the limit raises one alarm, not many.
 *
 * <p>Monitoring lost: {@link #onTick} raises it when no valid reading came for
 * {@link Profile#monitoringLostAfter()}; the next valid reading clears it.
 */
public final class ExcursionEngine {
  /** A reading that arrives this long after it was measured raises its alarms marked late. */
  public static final Duration LATE_AFTER = Duration.ofMinutes(2);

  private ExcursionEngine() {}

  /**
   * The new state and events.
   *
   * @param outOfOrder true when the reading was older than one already evaluated and was ignored
   */
  public record Outcome(UnitState state, List<ExcursionEvent> events, boolean outOfOrder) {
    public Outcome {
      events = List.copyOf(events);
    }
  }

  /**
   * Evaluates one reading.
   *
   * @param receivedAt when the gateway received it (epoch ms), only to mark alarms as late
   */
  public static Outcome onSample(Profile p, UnitState s, Sample sample, long receivedAt) {
    long t = sample.time();
    if (s.lastSampleAt() != UnitState.NEVER && t < s.lastSampleAt()) {
      return new Outcome(s, List.of(), true);
    }
    if (!sample.valid()) {
      return new Outcome(new UnitState(s.watchSince(), t, s.lastValidAt(), s.lastCelsius(), s.high(), s.low(),
          s.monitoringLostSince()), List.of(), false);
    }
    List<ExcursionEvent> events = new ArrayList<>(2);
    long lostSince = s.monitoringLostSince();
    if (lostSince != UnitState.NEVER) {
      events.add(new ExcursionEvent.Cleared(AlarmKind.MONITORING_LOST, t, Double.NaN));
      lostSince = UnitState.NEVER;
    }
    boolean late = receivedAt - t > LATE_AFTER.toMillis();
    double v = sample.celsius();
    LimitState high = p.hasHigh()
        ? step(s.high(), AlarmKind.HIGH_TEMPERATURE, v > p.high(), v <= p.high() - p.hysteresis(),
            Math.max(nanToNeg(s.high().peak()), v), v, p.high(), t, p.delay(), late, events)
        : s.high();
    LimitState low = p.hasLow()
        ? step(s.low(), AlarmKind.LOW_TEMPERATURE, v < p.low(), v >= p.low() + p.hysteresis(),
            Math.min(nanToPos(s.low().peak()), v), v, p.low(), t, p.delay(), late, events)
        : s.low();
    return new Outcome(new UnitState(s.watchSince(), t, t, v, high, low, lostSince), events, false);
  }

  private static double nanToNeg(double d) {
    return Double.isNaN(d) ? Double.NEGATIVE_INFINITY : d;
  }

  private static double nanToPos(double d) {
    return Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
  }

  /** One limit's transition; {@code peak} is the worst of the old peak and {@code v}. */
  private static LimitState step(LimitState st, AlarmKind kind, boolean beyond, boolean recovered,
      double peak, double v, double limit, long t, Duration delay, boolean late, List<ExcursionEvent> events) {
    switch (st.phase()) {
      case NORMAL:
        if (!beyond) {
          return st;
        }
        return pendingOrRaise(new LimitState(Phase.PENDING, t, UnitState.NEVER, v), kind, v, limit, t, delay,
            late, events);
      case PENDING:
        if (!beyond) {
          return LimitState.NORMAL;
        }
        return pendingOrRaise(new LimitState(Phase.PENDING, st.since(), UnitState.NEVER, peak), kind, v, limit, t,
            delay, late, events);
      case ALARM:
      default:
        if (recovered) {
          events.add(new ExcursionEvent.Cleared(kind, t, st.peak()));
          return LimitState.NORMAL;
        }
        return new LimitState(Phase.ALARM, st.since(), st.raisedAt(), peak);
    }
  }

  private static LimitState pendingOrRaise(LimitState pending, AlarmKind kind, double v, double limit, long t,
      Duration delay, boolean late, List<ExcursionEvent> events) {
    if (t - pending.since() < delay.toMillis()) {
      return pending;
    }
    events.add(new ExcursionEvent.Raised(kind, pending.since(), t, v, limit, pending.peak(), late));
    return new LimitState(Phase.ALARM, pending.since(), t, pending.peak());
  }

  /** Checks for lost monitoring at {@code now} (the gateway's clock, epoch ms). */
  public static Outcome onTick(Profile p, UnitState s, long now) {
    if (s.monitoringLost()) {
      return new Outcome(s, List.of(), false);
    }
    long reference = s.lastValidAt() != UnitState.NEVER ? s.lastValidAt() : s.watchSince();
    if (now - reference < p.monitoringLostAfter().toMillis()) {
      return new Outcome(s, List.of(), false);
    }
    var raised = new ExcursionEvent.Raised(AlarmKind.MONITORING_LOST, reference, now, Double.NaN, Double.NaN,
        Double.NaN, false);
    return new Outcome(new UnitState(s.watchSince(), s.lastSampleAt(), s.lastValidAt(), s.lastCelsius(), s.high(),
        s.low(), reference), List.of(raised), false);
  }
}
