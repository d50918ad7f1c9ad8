package org.sangfroid.core.excursion;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.sangfroid.core.excursion.RuleState.Phase;

/**
 * Turns readings into alarm events: {@code (state, reading) -> (state, events)}, on measurement
 * time. Pure and stateless; the caller keeps the {@link UnitState}. Each {@link Rule} of the
 * profile is evaluated on every valid reading:
 *
 * <ul>
 *   <li>{@link Rule.Threshold}: a reading beyond the limit starts a pending excursion; if every
 *       reading for the delay stays beyond it, the alarm is raised with the first such reading's
 *       time as its start. A reading back within the limit before then resets it. An alarm clears
 *       on the first reading back inside by the hysteresis, so a temperature wobbling on the
 *       limit raises one alarm, not many.
 *   <li>{@link Rule.Cumulative}: time beyond the limit adds up (each interval between valid
 *       readings counts as its first reading was); past the allowance the alarm is raised and
 *       stays.
 *   <li>{@link Rule.Episodes}: the first excursion too many raises the alarm, which stays.
 *   <li>{@link Rule.LongestEpisode}: an excursion lasting longer than allowed raises the alarm.
 * </ul>
 *
 * <p>Monitoring lost: {@link #onTick} raises it when no valid reading came for
 * {@link Profile#monitoringLostAfter()}; the next valid reading clears it. A probe fault
 * (invalid reading) changes no rule: the time it covers counts as the last valid reading was.
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

  /** What every rule step needs of the reading. */
  private record At(double v, long t, boolean late, List<ExcursionEvent> events) {}

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
      return new Outcome(new UnitState(s.watchSince(), t, s.lastValidAt(), s.lastCelsius(), s.rules(),
          s.monitoringLostSince()), List.of(), false);
    }
    List<ExcursionEvent> events = new ArrayList<>(2);
    if (s.monitoringLost()) {
      events.add(new ExcursionEvent.Cleared(AlarmKind.MONITORING_LOST, t, Double.NaN));
    }
    At at = new At(sample.celsius(), t, receivedAt - t > LATE_AFTER.toMillis(), events);
    Map<AlarmKind, RuleState> next = new EnumMap<>(AlarmKind.class);
    for (Rule rule : p.rules()) {
      RuleState st = s.rule(rule.kind());
      RuleState after;
      if (rule instanceof Rule.Threshold r) {
        after = threshold(r, st, at);
      } else if (rule instanceof Rule.Cumulative r) {
        after = cumulative(r, st, at);
      } else if (rule instanceof Rule.Episodes r) {
        after = episodes(r, st, at);
      } else {
        after = longestEpisode((Rule.LongestEpisode) rule, st, at);
      }
      if (!after.equals(RuleState.NORMAL)) {
        next.put(rule.kind(), after);
      }
    }
    return new Outcome(new UnitState(s.watchSince(), t, t, at.v(), next, UnitState.NEVER), events, false);
  }

  /** The worse of two temperatures for this rule (NaN counts as nothing yet). */
  private static double worse(Rule r, double peak, double v) {
    if (Double.isNaN(peak)) {
      return v;
    }
    return r.above() ? Math.max(peak, v) : Math.min(peak, v);
  }

  private static RuleState threshold(Rule.Threshold r, RuleState st, At at) {
    boolean beyond = r.beyond(at.v());
    switch (st.phase()) {
      case NORMAL:
        return beyond ? pendingOrRaise(r, RuleState.NORMAL.with(Phase.PENDING, at.t(), UnitState.NEVER, at.v()), at)
            : st;
      case PENDING:
        return beyond ? pendingOrRaise(r, st.with(Phase.PENDING, st.since(), UnitState.NEVER,
            worse(r, st.peak(), at.v())), at) : RuleState.NORMAL;
      case ALARM:
      default:
        if (r.backInside(at.v(), r.hysteresis())) {
          at.events().add(new ExcursionEvent.Cleared(r.kind(), at.t(), st.peak()));
          return RuleState.NORMAL;
        }
        return st.with(Phase.ALARM, st.since(), st.raisedAt(), worse(r, st.peak(), at.v()));
    }
  }

  private static RuleState pendingOrRaise(Rule.Threshold r, RuleState pending, At at) {
    if (at.t() - pending.since() < r.delay().toMillis()) {
      return pending;
    }
    at.events().add(new ExcursionEvent.Raised(r.kind(), pending.since(), at.t(), at.v(), r.limit(), pending.peak(),
        at.late()));
    return pending.with(Phase.ALARM, pending.since(), at.t(), pending.peak());
  }

  private static RuleState cumulative(Rule.Cumulative r, RuleState st, At at) {
    long total = st.totalMillis();
    if (st.lastAt() != UnitState.NEVER && st.beyondAtLast()) {
      total += at.t() - st.lastAt();
    }
    boolean beyond = r.beyond(at.v());
    long since = st.since() == UnitState.NEVER && beyond ? at.t() : st.since();
    double peak = beyond ? worse(r, st.peak(), at.v()) : st.peak();
    Phase phase = st.phase();
    long raisedAt = st.raisedAt();
    if (phase != Phase.ALARM && total > r.allowance().toMillis()) {
      phase = Phase.ALARM;
      raisedAt = at.t();
      at.events().add(new ExcursionEvent.Raised(r.kind(), since, at.t(), at.v(), r.limit(), peak, at.late()));
    }
    return new RuleState(phase, since, raisedAt, peak, total, st.episodes(), at.t(), beyond);
  }

  private static RuleState episodes(Rule.Episodes r, RuleState st, At at) {
    boolean inEpisode = st.beyondAtLast();
    int count = st.episodes();
    Phase phase = st.phase();
    long since = st.since();
    long raisedAt = st.raisedAt();
    double peak = st.peak();
    if (!inEpisode && r.beyond(at.v())) {
      inEpisode = true;
      count++;
      if (phase != Phase.ALARM && count > r.allowed()) {
        phase = Phase.ALARM;
        since = at.t();
        raisedAt = at.t();
        peak = at.v();
        at.events().add(new ExcursionEvent.Raised(r.kind(), at.t(), at.t(), at.v(), r.limit(), at.v(), at.late()));
      }
    } else if (inEpisode && r.backInside(at.v(), r.hysteresis())) {
      inEpisode = false;
    }
    if (phase == Phase.ALARM && inEpisode) {
      peak = worse(r, peak, at.v());
    }
    return new RuleState(phase, since, raisedAt, peak, st.totalMillis(), count, at.t(), inEpisode);
  }

  private static RuleState longestEpisode(Rule.LongestEpisode r, RuleState st, At at) {
    boolean beyond = r.beyond(at.v());
    boolean ended = r.backInside(at.v(), r.hysteresis());
    switch (st.phase()) {
      case NORMAL:
        return beyond ? RuleState.NORMAL.with(Phase.PENDING, at.t(), UnitState.NEVER, at.v()) : st;
      case PENDING:
        if (ended) {
          return RuleState.NORMAL;
        }
        RuleState going = st.with(Phase.PENDING, st.since(), UnitState.NEVER, worse(r, st.peak(), at.v()));
        if (at.t() - st.since() > r.longest().toMillis()) {
          at.events().add(new ExcursionEvent.Raised(r.kind(), st.since(), at.t(), at.v(), r.limit(), going.peak(),
              at.late()));
          return going.with(Phase.ALARM, st.since(), at.t(), going.peak());
        }
        return going;
      case ALARM:
      default:
        if (ended) {
          at.events().add(new ExcursionEvent.Cleared(r.kind(), at.t(), st.peak()));
          return RuleState.NORMAL;
        }
        return st.with(Phase.ALARM, st.since(), st.raisedAt(), worse(r, st.peak(), at.v()));
    }
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
    return new Outcome(new UnitState(s.watchSince(), s.lastSampleAt(), s.lastValidAt(), s.lastCelsius(), s.rules(),
        reference), List.of(raised), false);
  }
}
