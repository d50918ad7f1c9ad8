package org.sangfroid.core.excursion;

import static org.sangfroid.core.excursion.UnitState.NEVER;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.excursion.ExcursionEvent.Cleared;
import org.sangfroid.core.excursion.ExcursionEvent.Raised;
import org.sangfroid.core.excursion.RuleState.Phase;
import org.sangfroid.core.excursion.RuleState.Point;
import org.sangfroid.core.excursion.RuleState.Span;

/**
 * Turns readings into alarm events: {@code (state, reading) -> (state, events)}, on measurement
 * time. Pure and stateless; the caller keeps the {@link UnitState}. Each {@link Rule} of the
 * profile is evaluated on every reading:
 *
 * <ul>
 *   <li>{@link Rule.Threshold}: a reading beyond the limit starts a pending excursion; if every
 *       reading for the delay stays beyond it, the alarm is raised with the first such reading's
 *       time as its start. A reading back within the limit before then resets it. An alarm clears
 *       on the first reading back inside by the hysteresis, so a temperature wobbling on the
 *       limit raises one alarm, not many.
 *   <li>{@link Rule.Cumulative}: time beyond the limit adds up (each interval between valid
 *       readings counts as its first reading was), over the stay or within a rolling window;
 *       past the allowance the alarm is raised.
 *   <li>{@link Rule.Episodes}: the first excursion too many raises the alarm, which stays.
 *   <li>{@link Rule.LongestEpisode}: an excursion lasting longer than allowed raises the alarm.
 *   <li>{@link Rule.RateOfChange}: the change since the reading a window before, per hour.
 *   <li>{@link Rule.ProbeFault}: only invalid readings for the delay.
 *   <li>{@link Rule.InputActive}: a door, power or agitator input active for the delay, from
 *       {@link #onInput}; the delay also runs out on any later reading, input change or tick.
 *   <li>{@link Rule.TransitTime}: measurement time (or a tick) past the trip's maximum.
 * </ul>
 *
 * <p>A probe fault (invalid reading) changes no temperature rule: the time it covers counts as
 * the last valid reading was. Monitoring lost and calibration overdue are not rules of the
 * profile: {@link #onTick} raises them for every unit.
 */
public final class ExcursionEngine {
  /** A reading that arrives this long after it was measured raises its alarms marked late. */
  public static final Duration LATE_AFTER = Duration.ofMinutes(2);
  /**
   * A windowed exposure rule keeps at most this many stretches beyond its limit; past it the two
   * closest merge and the time between them counts as beyond (more exposure, never less).
   */
  static final int MAX_SPANS = 256;
  /** A rate-of-change rule keeps a reading at most every window / this, so its state stays small. */
  static final int POINTS_PER_WINDOW = 32;

  private static final double HOUR_MS = 3_600_000.0;

  private ExcursionEngine() {}

  /**
   * The new state and events.
   *
   * @param outOfOrder true when the reading (or input change) was older than one already
   *     evaluated and was ignored
   */
  public record Outcome(UnitState state, List<ExcursionEvent> events, boolean outOfOrder) {
    public Outcome {
      events = events.isEmpty() ? List.of() : List.copyOf(events);
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
    if (s.lastSampleAt() != NEVER && t < s.lastSampleAt()) {
      return new Outcome(s, List.of(), true);
    }
    boolean valid = sample.valid();
    List<ExcursionEvent> events = new ArrayList<>(); // its array comes with the first event: most readings raise none
    if (valid && s.monitoringLost()) {
      events.add(new Cleared(AlarmKind.MONITORING_LOST, t, Double.NaN));
    }
    At at = new At(sample.celsius(), t, late(receivedAt, t), events);
    // Most readings change no rule: their state shares the rules of the one before. From the
    // first rule that changes, the rules go into a new map.
    List<Rule> rules = p.rules();
    EnumMap<AlarmKind, RuleState> next = null;
    int unchanged = 0; // rules not normal and left as they were, while next is null
    for (int i = 0; i < rules.size(); i++) {
      Rule rule = rules.get(i);
      AlarmKind kind = kindOf(rule);
      RuleState st = s.rule(kind);
      RuleState after;
      if (rule instanceof Rule.ProbeFault r) {
        after = probeFault(r, st, valid, at);
      } else if (rule instanceof Rule.InputActive r) {
        after = inputDue(r, st, t, receivedAt, events);
      } else if (rule instanceof Rule.TransitTime r) {
        after = transitDue(r, st, s.tripStart(), t, receivedAt, events);
      } else if (!valid) {
        after = st;
      } else if (t < s.stayStart() && isStayBound(rule)) {
        after = beforeStay(rule, st, at, s.stayStart());
      } else if (rule instanceof Rule.Threshold r) {
        after = threshold(r, st, at);
      } else if (rule instanceof Rule.Cumulative r) {
        after = cumulative(r, st, at);
      } else if (rule instanceof Rule.Episodes r) {
        after = episodes(r, st, at);
      } else if (rule instanceof Rule.LongestEpisode r) {
        after = longestEpisode(r, st, at);
      } else {
        after = rate((Rule.RateOfChange) rule, st, at);
      }
      if (after != st && next == null) {
        next = notNormal(rules.subList(0, i), s);
      }
      if (next != null) {
        if (!isNormal(after)) {
          next.put(kind, after);
        }
      } else if (!isNormal(st)) {
        unchanged++;
      }
    }
    // Only the profile's rules that are not normal are kept (a state read back may hold others).
    Map<AlarmKind, RuleState> kept = next != null ? UnitState.own(next)
        : unchanged == s.rules().size() ? s.rules() : UnitState.own(notNormal(rules, s));
    return new Outcome(s.afterSample(t, valid, sample.celsius(), kept), events, false);
  }

  /**
   * Evaluates a change of a digital input, in the inputs' own time order (a change older than
   * the newest one evaluated for the same input is ignored), independent of the readings. A
   * profile without a rule for the input ignores it. The change's time also runs out the delay
   * of the other inputs and the trip, as a reading's would.
   *
   * @param receivedAt when the gateway received it (epoch ms), only to mark alarms as late
   */
  public static Outcome onInput(Profile p, UnitState s, InputChange change, long receivedAt) {
    AlarmKind kind = change.input().kind();
    Optional<Rule> rule = p.rule(kind);
    if (rule.isEmpty()) {
      return new Outcome(s, List.of(), false);
    }
    RuleState st = s.rule(kind);
    long t = change.time();
    if (st.lastAt() != NEVER && t < st.lastAt()) {
      return new Outcome(s, List.of(), true);
    }
    List<ExcursionEvent> events = new ArrayList<>(2);
    RuleState after;
    if (!change.active()) {
      // It was active until now: its delay may have run out before anything else showed it.
      RuleState until = inputDue((Rule.InputActive) rule.get(), st, t, receivedAt, events);
      if (until.phase() == Phase.ALARM) {
        events.add(new Cleared(kind, t, Double.NaN));
      }
      after = new RuleState(Phase.NORMAL, NEVER, NEVER, Double.NaN, 0, 0, t, false);
    } else if (st.phase() == Phase.NORMAL) {
      after = new RuleState(Phase.PENDING, t, NEVER, Double.NaN, 0, 0, t, true);
    } else {
      after = new RuleState(st.phase(), st.since(), st.raisedAt(), Double.NaN, 0, 0, t, true); // still active
    }
    EnumMap<AlarmKind, RuleState> rules = copy(s.rules());
    rules.put(kind, after);
    return timeDue(p, s.withRules(UnitState.own(rules)), t, receivedAt, events);
  }

  /**
   * Checks what the passing of time alone raises, at {@code now} (the gateway's clock, epoch ms):
   * monitoring lost (no valid reading for {@link Profile#monitoringLostAfter()}), calibration
   * overdue (raised when {@code now} is past {@link UnitState#calibrationDue()}, cleared once a
   * later due date is set), an input active for its delay, a trip past its maximum.
   */
  public static Outcome onTick(Profile p, UnitState s, long now) {
    List<ExcursionEvent> events = new ArrayList<>(); // most ticks raise nothing
    UnitState next = s;
    if (!s.monitoringLost()) {
      long reference = s.lastValidAt() != NEVER ? s.lastValidAt() : s.watchSince();
      if (now - reference >= p.monitoringLostAfter().toMillis()) {
        events.add(new Raised(AlarmKind.MONITORING_LOST, reference, now, Double.NaN, Double.NaN, Double.NaN, false));
        next = next.withMonitoringLostSince(reference);
      }
    }
    long due = s.calibrationDue();
    if (s.calibrationOverdue() && due != NEVER && now <= due) {
      events.add(new Cleared(AlarmKind.CALIBRATION_OVERDUE, now, Double.NaN));
      next = next.withCalibration(due, NEVER);
    } else if (!s.calibrationOverdue() && due != NEVER && now > due) {
      events.add(new Raised(AlarmKind.CALIBRATION_OVERDUE, due, now, Double.NaN, Double.NaN, Double.NaN, false));
      next = next.withCalibration(due, due);
    }
    return timeDue(p, next, now, now, events);
  }

  /**
   * A new product stay (restock, or a new trip for a transport box) starting at {@code at}: the
   * exposure, episode and episode-length counts and the trip's start begin again, and their
   * alarms clear at {@code at}. The range, absolute, rate, probe and input alarms describe the
   * unit, not its products, and stay as they are. For the gateway to call from an audited user
   * action, after the unit's readings up to {@code at} (a reading measured before {@code at} but
   * evaluated after it counts for no stay).
   */
  public static Outcome restock(Profile p, UnitState s, long at) {
    Checks.require(at != NEVER, "at", at, "be a time");
    List<ExcursionEvent> events = new ArrayList<>(2);
    UnitState due = timeDue(p, s, at, at, events).state(); // the old trip lasted until now: it may have run out
    EnumMap<AlarmKind, RuleState> rules = copy(due.rules());
    for (Rule rule : p.rules()) {
      if (!isStayBound(rule)) {
        continue;
      }
      RuleState st = due.rule(rule.kind());
      if (st.phase() == Phase.ALARM) {
        events.add(new Cleared(rule.kind(), at, st.peak()));
      }
      // An exposure count goes on from the new start if the unit is beyond its limit right now.
      RuleState fresh = rule instanceof Rule.Cumulative && st.lastAt() != NEVER
          ? new RuleState(Phase.NORMAL, NEVER, NEVER, Double.NaN, 0, 0, Math.max(st.lastAt(), at), st.beyondAtLast())
          : RuleState.NORMAL;
      if (fresh.equals(RuleState.NORMAL)) {
        rules.remove(rule.kind());
      } else {
        rules.put(rule.kind(), fresh);
      }
    }
    return new Outcome(due.withRules(UnitState.own(rules)).withStayStart(at), events, false);
  }

  /**
   * The unit's earliest probe calibration due date (epoch ms; {@link UnitState#NEVER} when
   * unknown), from the agent's status or the configuration. {@link #onTick} raises or clears
   * calibration overdue against it.
   */
  public static UnitState withCalibrationDue(UnitState s, long dueAt) {
    return s.withCalibration(dueAt, s.calibrationOverdueSince());
  }

  /** Rules about the products' stay, which a restock starts again. */
  private static boolean isStayBound(Rule rule) {
    return rule instanceof Rule.Cumulative || rule instanceof Rule.Episodes || rule instanceof Rule.LongestEpisode
        || rule instanceof Rule.TransitTime;
  }

  /**
   * A reading measured before the current stay began but evaluated after the restock (a late
   * backlog) counts for no stay: an exposure rule only learns whether the unit was beyond its
   * limit when the stay began.
   */
  private static RuleState beforeStay(Rule rule, RuleState st, At at, long stayStart) {
    if (rule instanceof Rule.Cumulative r) {
      return new RuleState(st.phase(), st.since(), st.raisedAt(), st.peak(), st.totalMillis(), st.episodes(), stayStart,
          r.beyond(at.v()), st.spans(), st.points());
    }
    return st;
  }

  /**
   * Runs out the delays that need no reading: inputs held active, the trip's maximum. Returns
   * {@code s} itself when none ran out (the common tick).
   */
  private static Outcome timeDue(Profile p, UnitState s, long time, long receivedAt, List<ExcursionEvent> events) {
    EnumMap<AlarmKind, RuleState> rules = null;
    for (Rule rule : p.rules()) {
      AlarmKind kind = kindOf(rule);
      RuleState st = s.rule(kind);
      RuleState after = st;
      if (rule instanceof Rule.InputActive r) {
        after = inputDue(r, st, time, receivedAt, events);
      } else if (rule instanceof Rule.TransitTime r) {
        after = transitDue(r, st, s.tripStart(), time, receivedAt, events);
      }
      if (after != st) {
        if (rules == null) {
          rules = copy(s.rules());
        }
        rules.put(kind, after);
      }
    }
    return new Outcome(rules == null ? s : s.withRules(UnitState.own(rules)), events, false);
  }

  private static EnumMap<AlarmKind, RuleState> copy(Map<AlarmKind, RuleState> rules) {
    EnumMap<AlarmKind, RuleState> out = new EnumMap<>(AlarmKind.class);
    out.putAll(rules);
    return out;
  }

  /** The states of {@code rules} in {@code s} that are not normal. */
  private static EnumMap<AlarmKind, RuleState> notNormal(List<Rule> rules, UnitState s) {
    EnumMap<AlarmKind, RuleState> out = new EnumMap<>(AlarmKind.class);
    for (Rule rule : rules) {
      AlarmKind kind = kindOf(rule);
      RuleState st = s.rule(kind);
      if (!isNormal(st)) {
        out.put(kind, st);
      }
    }
    return out;
  }

  /**
   * {@code rule.kind()}, without an interface call for the rule types every storage profile has:
   * a profile mixes several types, so that call does not inline; it cost about 30 of the 70 ns of
   * a reading that changes no rule (issue #6).
   */
  private static AlarmKind kindOf(Rule rule) {
    if (rule instanceof Rule.Threshold r) {
      return r.kind();
    } else if (rule instanceof Rule.InputActive r) {
      return r.kind();
    } else if (rule instanceof Rule.ProbeFault r) {
      return r.kind();
    }
    return rule.kind();
  }

  private static boolean isNormal(RuleState st) {
    return st == RuleState.NORMAL || st.phase() == Phase.NORMAL && st.lastAt() == NEVER && st.equals(RuleState.NORMAL);
  }

  private static boolean late(long receivedAt, long raisedAt) {
    return receivedAt - raisedAt > LATE_AFTER.toMillis();
  }

  /** The worse of two temperatures for this rule (NaN counts as nothing yet). */
  private static double worse(Rule.Limit r, double peak, double v) {
    return worse(r.above(), peak, v);
  }

  private static double worse(boolean above, double peak, double v) {
    if (Double.isNaN(peak)) {
      return v;
    }
    return above ? Math.max(peak, v) : Math.min(peak, v);
  }

  private static RuleState threshold(Rule.Threshold r, RuleState st, At at) {
    boolean beyond = r.beyond(at.v());
    switch (st.phase()) {
      case NORMAL:
        return beyond ? pendingOrRaise(r, RuleState.NORMAL.with(Phase.PENDING, at.t(), NEVER, at.v()), at) : st;
      case PENDING:
        return beyond ? pendingOrRaise(r, st.with(Phase.PENDING, st.since(), NEVER,
            worse(r, st.peak(), at.v())), at) : RuleState.NORMAL;
      case ALARM:
      default:
        if (r.backInside(at.v(), r.hysteresis())) {
          at.events().add(new Cleared(r.kind(), at.t(), st.peak()));
          return RuleState.NORMAL;
        }
        return st.with(Phase.ALARM, st.since(), st.raisedAt(), worse(r, st.peak(), at.v()));
    }
  }

  private static RuleState pendingOrRaise(Rule.Threshold r, RuleState pending, At at) {
    if (at.t() - pending.since() < r.delay().toMillis()) {
      return pending;
    }
    at.events().add(new Raised(r.kind(), pending.since(), at.t(), at.v(), r.limit(), pending.peak(), at.late()));
    return pending.with(Phase.ALARM, pending.since(), at.t(), pending.peak());
  }

  private static RuleState cumulative(Rule.Cumulative r, RuleState st, At at) {
    boolean beyond = r.beyond(at.v());
    if (r.window().isPresent()) {
      return windowed(r, r.window().get(), st, at, beyond);
    }
    long total = st.totalMillis();
    if (st.lastAt() != NEVER && st.beyondAtLast()) {
      total += Math.max(0, at.t() - st.lastAt());
    }
    long since = st.since() == NEVER && beyond ? at.t() : st.since();
    double peak = beyond ? worse(r, st.peak(), at.v()) : st.peak();
    Phase phase = st.phase();
    long raisedAt = st.raisedAt();
    if (phase != Phase.ALARM && total > r.allowance().toMillis()) {
      phase = Phase.ALARM;
      raisedAt = at.t();
      at.events().add(new Raised(r.kind(), since, at.t(), at.v(), r.limit(), peak, at.late()));
    }
    return new RuleState(phase, since, raisedAt, peak, total, st.episodes(), at.t(), beyond);
  }

  /** Exposure within the last {@code window}: the stretches beyond the limit, pruned as they leave it. */
  private static RuleState windowed(Rule.Cumulative r, Duration window, RuleState st, At at, boolean beyond) {
    long t = at.t();
    List<Span> spans = new ArrayList<>(st.spans());
    if (st.lastAt() != NEVER && st.beyondAtLast() && t > st.lastAt()) {
      int last = spans.size() - 1;
      if (last >= 0 && spans.get(last).to() >= st.lastAt()) {
        spans.set(last, new Span(spans.get(last).from(), t));
      } else {
        spans.add(new Span(st.lastAt(), t));
      }
    }
    long cutoff = t - window.toMillis();
    spans.removeIf(span -> span.to() <= cutoff);
    if (!spans.isEmpty() && spans.get(0).from() < cutoff) {
      spans.set(0, new Span(cutoff, spans.get(0).to()));
    }
    while (spans.size() > MAX_SPANS) {
      mergeClosest(spans);
    }
    long total = spans.stream().mapToLong(Span::millis).sum();
    double peak = beyond ? worse(r, st.peak(), at.v()) : spans.isEmpty() ? Double.NaN : st.peak();
    Phase phase = st.phase();
    long since = st.since();
    long raisedAt = st.raisedAt();
    if (phase != Phase.ALARM && total > r.allowance().toMillis()) {
      phase = Phase.ALARM;
      since = spans.get(0).from();
      raisedAt = t;
      at.events().add(new Raised(r.kind(), since, t, at.v(), r.limit(), peak, at.late()));
    } else if (phase == Phase.ALARM && spans.isEmpty() && !beyond) {
      at.events().add(new Cleared(r.kind(), t, peak));
      phase = Phase.NORMAL;
      since = NEVER;
      raisedAt = NEVER;
      peak = Double.NaN;
    }
    return new RuleState(phase, since, raisedAt, peak, total, st.episodes(), t, beyond, spans, List.of());
  }

  private static void mergeClosest(List<Span> spans) {
    int closest = 0;
    for (int i = 1; i < spans.size() - 1; i++) {
      if (spans.get(i + 1).from() - spans.get(i).to() < spans.get(closest + 1).from() - spans.get(closest).to()) {
        closest = i;
      }
    }
    spans.set(closest, new Span(spans.get(closest).from(), spans.get(closest + 1).to()));
    spans.remove(closest + 1);
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
        at.events().add(new Raised(r.kind(), at.t(), at.t(), at.v(), r.limit(), at.v(), at.late()));
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
        return beyond ? RuleState.NORMAL.with(Phase.PENDING, at.t(), NEVER, at.v()) : st;
      case PENDING:
        if (ended) {
          return RuleState.NORMAL;
        }
        RuleState going = st.with(Phase.PENDING, st.since(), NEVER, worse(r, st.peak(), at.v()));
        if (at.t() - st.since() > r.longest().toMillis()) {
          at.events().add(new Raised(r.kind(), st.since(), at.t(), at.v(), r.limit(), going.peak(), at.late()));
          return going.with(Phase.ALARM, st.since(), at.t(), going.peak());
        }
        return going;
      case ALARM:
      default:
        if (ended) {
          at.events().add(new Cleared(r.kind(), at.t(), st.peak()));
          return RuleState.NORMAL;
        }
        return st.with(Phase.ALARM, st.since(), st.raisedAt(), worse(r, st.peak(), at.v()));
    }
  }

  /**
   * The change from the newest kept reading at least a window old to this one, per hour. The
   * alarm starts at that older reading; its peak is the highest temperature for a rise, the
   * lowest for a fall.
   */
  private static RuleState rate(Rule.RateOfChange r, RuleState st, At at) {
    long t = at.t();
    long w = r.window().toMillis();
    List<Point> points = new ArrayList<>(st.points());
    int start = -1;
    for (int i = 0; i < points.size() && points.get(i).time() <= t - w; i++) {
      start = i;
    }
    if (start > 0) {
      points.subList(0, start).clear(); // older than the window's start: never needed again
    }
    if (points.isEmpty() || t - points.get(points.size() - 1).time() >= w / POINTS_PER_WINDOW) {
      points.add(new Point(t, at.v()));
    }
    if (start < 0) {
      return new RuleState(st.phase(), st.since(), st.raisedAt(), st.peak(), 0, 0, NEVER, st.beyondAtLast(),
          List.of(), points);
    }
    Point from = points.get(0);
    double change = at.v() - from.celsius();
    double perHour = Math.abs(change) * HOUR_MS / (t - from.time());
    if (st.phase() != Phase.ALARM) {
      if (perHour <= r.perHour()) {
        return new RuleState(Phase.NORMAL, NEVER, NEVER, Double.NaN, 0, 0, NEVER, false, List.of(), points);
      }
      boolean rising = change > 0;
      double peak = Double.NaN;
      for (Point pt : points) {
        peak = worse(rising, peak, pt.celsius());
      }
      at.events().add(new Raised(r.kind(), from.time(), t, at.v(), Double.NaN, peak, at.late()));
      return new RuleState(Phase.ALARM, from.time(), t, peak, 0, 0, NEVER, rising, List.of(), points);
    }
    if (perHour <= r.perHour() - r.hysteresis()) {
      at.events().add(new Cleared(r.kind(), t, st.peak()));
      return new RuleState(Phase.NORMAL, NEVER, NEVER, Double.NaN, 0, 0, NEVER, false, List.of(), points);
    }
    return new RuleState(Phase.ALARM, st.since(), st.raisedAt(), worse(st.beyondAtLast(), st.peak(), at.v()), 0, 0,
        NEVER, st.beyondAtLast(), List.of(), points);
  }

  private static RuleState probeFault(Rule.ProbeFault r, RuleState st, boolean valid, At at) {
    if (valid) {
      if (st.phase() == Phase.ALARM) {
        at.events().add(new Cleared(r.kind(), at.t(), Double.NaN));
      }
      return RuleState.NORMAL;
    }
    RuleState faulty = st.phase() == Phase.NORMAL ? RuleState.NORMAL.with(Phase.PENDING, at.t(), NEVER, Double.NaN)
        : st;
    if (faulty.phase() == Phase.PENDING && at.t() - faulty.since() >= r.delay().toMillis()) {
      at.events().add(new Raised(r.kind(), faulty.since(), at.t(), Double.NaN, Double.NaN, Double.NaN, at.late()));
      return faulty.with(Phase.ALARM, faulty.since(), at.t(), Double.NaN);
    }
    return faulty;
  }

  /**
   * An input active since {@code st.since()} alarms once {@code time} reaches the end of its
   * delay; the alarm is raised at that moment, whatever brought the time.
   */
  private static RuleState inputDue(Rule.InputActive r, RuleState st, long time, long receivedAt,
      List<ExcursionEvent> events) {
    if (st.phase() != Phase.PENDING) {
      return st;
    }
    long due = st.since() + r.delay().toMillis();
    if (time < due) {
      return st;
    }
    events.add(new Raised(r.kind(), st.since(), due, Double.NaN, Double.NaN, Double.NaN, late(receivedAt, due)));
    return st.with(Phase.ALARM, st.since(), due, Double.NaN);
  }

  /** A trip longer than its maximum alarms from the moment the maximum was reached. */
  private static RuleState transitDue(Rule.TransitTime r, RuleState st, long stayStart, long time, long receivedAt,
      List<ExcursionEvent> events) {
    long due = stayStart + r.longest().toMillis();
    if (st.phase() == Phase.ALARM || time <= due) {
      return st;
    }
    events.add(new Raised(r.kind(), stayStart, due, Double.NaN, Double.NaN, Double.NaN, late(receivedAt, due)));
    return RuleState.NORMAL.with(Phase.ALARM, stayStart, due, Double.NaN);
  }
}
