package org.sangfroid.simulator.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.simulator.scenario.Scenario;
import org.sangfroid.simulator.scenario.Scenario.Expectation;

/**
 * Expected alarms against raised ones. Each expectation, in order of its start, takes the raised
 * alarm of the same unit and kind, not yet taken, whose start is closest to the expected one and
 * within the tolerance. An expectation left over is missing, or pending when it needs agent
 * events that the gateway did not acknowledge; a raised alarm left over is unexpected, unless its
 * kind is ignored by the scenario.
 *
 * @param matched expectation and alarm pairs, by expected start
 * @param missing expectations no raised alarm fulfils
 * @param pending expectations of door, power or agitator alarms while the gateway does not handle
 *     agent events: not a failure, not a pass either
 * @param unexpected raised alarms nobody expected
 * @param ignored raised alarms of kinds the scenario ignores, not expected
 */
public record Matching(List<Match> matched, List<Expectation> missing, List<Expectation> pending,
    List<RaisedAlarm> unexpected, List<RaisedAlarm> ignored) {

  /** Kinds raised from the agents' events (door contact, mains sense, agitator). */
  public static final Set<AlarmKind> EVENT_KINDS =
      EnumSet.of(AlarmKind.DOOR_OPEN, AlarmKind.POWER_LOST, AlarmKind.AGITATOR_STOPPED);

  public Matching {
    matched = List.copyOf(matched);
    missing = List.copyOf(missing);
    pending = List.copyOf(pending);
    unexpected = List.copyOf(unexpected);
    ignored = List.copyOf(ignored);
  }

  /**
   * An expected alarm and the one that fulfils it.
   *
   * @param startError the raised alarm's start minus the expected start
   * @param detectionDelay the raised alarm's raising time minus the expected start: how long
   *     after the condition began the gateway said so
   */
  public record Match(Expectation expected, RaisedAlarm raised, Duration startError, Duration detectionDelay) {}

  /**
   * Matches {@code raised} against {@code scenario}'s expectations.
   *
   * @param eventsHandled whether the gateway acknowledged the agents' events (or none were sent)
   */
  public static Matching of(Scenario scenario, List<RaisedAlarm> raised, boolean eventsHandled) {
    Instant start = scenario.start();
    List<RaisedAlarm> left = new ArrayList<>(raised);
    left.sort(Comparator.comparing(RaisedAlarm::startedAt).thenComparingLong(RaisedAlarm::id));
    List<Expectation> expectations = new ArrayList<>(scenario.expected());
    expectations.sort(Comparator.comparing(Expectation::start));
    List<Match> matched = new ArrayList<>();
    List<Expectation> missing = new ArrayList<>();
    List<Expectation> pending = new ArrayList<>();
    for (Expectation x : expectations) {
      Instant expectedAt = start.plus(x.start());
      Optional<RaisedAlarm> best = left.stream()
          .filter(a -> a.unit().equals(x.unit()) && a.kind() == x.kind())
          .filter(a -> Duration.between(expectedAt, a.startedAt()).abs().compareTo(x.tolerance()) <= 0)
          .min(Comparator.comparing(a -> Duration.between(expectedAt, a.startedAt()).abs()));
      if (best.isPresent()) {
        left.remove(best.get());
        matched.add(new Match(x, best.get(), Duration.between(expectedAt, best.get().startedAt()),
            Duration.between(expectedAt, best.get().raisedAt())));
      } else if (!eventsHandled && EVENT_KINDS.contains(x.kind())) {
        pending.add(x);
      } else {
        missing.add(x);
      }
    }
    List<RaisedAlarm> unexpected = new ArrayList<>();
    List<RaisedAlarm> ignored = new ArrayList<>();
    for (RaisedAlarm a : left) {
      (scenario.ignored().contains(a.kind()) ? ignored : unexpected).add(a);
    }
    return new Matching(matched, missing, pending, unexpected, ignored);
  }

  /** True when every expectation is matched or pending and nothing unexpected was raised. */
  public boolean alarmsAsExpected() {
    return missing.isEmpty() && unexpected.isEmpty();
  }
}
