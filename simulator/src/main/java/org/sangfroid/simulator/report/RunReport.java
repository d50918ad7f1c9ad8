package org.sangfroid.simulator.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.sangfroid.core.check.Checks;
import org.sangfroid.simulator.scenario.Durations;
import org.sangfroid.simulator.scenario.Scenario;

/**
 * Everything a scenario run showed, for the JSON and HTML reports and the exit code.
 *
 * @param scenario what was run
 * @param source the scenario file, as given ("" when built in code)
 * @param matching expected against raised alarms
 * @param counts readings and events through the run
 * @param readingsSha256 SHA-256 of every reading batch as first published, in order: two runs of
 *     the same scenario and seed give the same value ("" when the run was told not to compute it,
 *     as the fleet bench does)
 * @param eventsAcknowledged whether the gateway acknowledged the agents' events (true when none
 *     were sent); when false, expectations of door, power and agitator alarms are pending
 * @param setupTime real time to start the gateway and connect the agents (not in {@code wallTime})
 * @param wallTime real time the simulated duration took, from the first step to the last
 * @param units each unit's stored readings, limits, events and alarms, for the charts
 */
public record RunReport(Scenario scenario, String source, Matching matching, Counts counts, String readingsSha256,
    boolean eventsAcknowledged, Duration setupTime, Duration wallTime, List<UnitTrace> units) {

  /** The run's outcome, and its exit code. */
  public enum Verdict {
    /** Every expected alarm raised, nothing unexpected, every reading sent was stored. */
    PASSED(0),
    /** Something did not match. */
    FAILED(1),
    /** Nothing wrong, but some expectations need agent events the gateway does not handle yet. */
    PENDING(3);

    private final int exitCode;

    Verdict(int exitCode) {
      this.exitCode = exitCode;
    }

    /** 0 passed, 1 failed, 3 pending (2 is for a bad scenario or bad arguments). */
    public int exitCode() {
      return exitCode;
    }
  }

  /**
   * Readings and events through the run.
   *
   * @param taken readings the agents took (sequence numbers given)
   * @param sent readings published at least once
   * @param stored readings the gateway stored (once each)
   * @param dropped readings the agents' full outboxes dropped
   * @param unsent readings still waiting in an outbox at the end (a network still down)
   * @param resends times an agent sent everything unacknowledged again
   * @param events agent events taken (door, power, agitator)
   */
  public record Counts(long taken, long sent, long stored, long dropped, long unsent, long resends, long events) {}

  /**
   * One unit's trace.
   *
   * @param limits the temperature limits of its profile, for the chart
   * @param readings what the gateway stored, oldest first
   * @param spans what happened to it (events of the timeline), for the chart
   * @param alarms the alarms raised on it
   */
  public record UnitTrace(String id, String name, String kind, String profile, List<Limit> limits,
      List<Point> readings, List<Span> spans, List<RaisedAlarm> alarms) {
    public UnitTrace {
      limits = List.copyOf(limits);
      readings = List.copyOf(readings);
      spans = List.copyOf(spans);
      alarms = List.copyOf(alarms);
    }
  }

  /** A limit of a profile: {@code kind} name, °C, and whether it is an upper one. */
  public record Limit(String kind, double celsius, boolean above) {}

  /** A stored reading: measurement time, sensor, °C ({@code NaN} when invalid), quality. */
  public record Point(Instant time, String sensor, double celsius, String quality) {}

  /** An event of the timeline on a unit, from {@code from} to {@code to} (the run's end if it lasts). */
  public record Span(String type, Instant from, Instant to) {}

  public RunReport {
    Checks.requireNonNull("scenario", scenario);
    Checks.requireNonNull("source", source);
    Checks.requireNonNull("matching", matching);
    Checks.requireNonNull("counts", counts);
    units = List.copyOf(units);
  }

  /** Passed, failed or pending. */
  public Verdict verdict() {
    if (!problems().isEmpty()) {
      return Verdict.FAILED;
    }
    return matching.pending().isEmpty() ? Verdict.PASSED : Verdict.PENDING;
  }

  /** Why the run failed, one line each, for people; empty when it did not. */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    Instant start = scenario.start();
    for (Scenario.Expectation x : matching.missing()) {
      out.add("Missing: " + x.kind() + " on " + x.unit() + ", expected to start at +" + Durations.human(x.start())
          + " (within " + Durations.human(x.tolerance()) + "): " + nearest(x));
    }
    for (RaisedAlarm a : matching.unexpected()) {
      out.add("Unexpected: " + a.kind() + " on " + a.unit() + ", started at +" + since(start, a.startedAt())
          + ", raised at +" + since(start, a.raisedAt()));
    }
    if (counts.stored() != counts.sent()) {
      out.add("Readings: " + counts.sent() + " sent but " + counts.stored() + " stored by the gateway");
    }
    return out;
  }

  private String nearest(Scenario.Expectation x) {
    Instant at = scenario.start().plus(x.start());
    return units.stream().flatMap(u -> u.alarms().stream())
        .filter(a -> a.unit().equals(x.unit()) && a.kind() == x.kind())
        .min((a, b) -> Duration.between(at, a.startedAt()).abs().compareTo(Duration.between(at, b.startedAt()).abs()))
        .map(a -> "the nearest " + x.kind() + " on " + x.unit() + " started at +" + since(scenario.start(),
            a.startedAt()))
        .orElse("no " + x.kind() + " was raised on " + x.unit());
  }

  /** {@code t} as a time after the run's start: {@code 6h10m}, or {@code -1h} before it. */
  public static String since(Instant start, Instant t) {
    return Durations.human(Duration.between(start, t));
  }

  /** Simulated time over real time. */
  public double speedUp() {
    long wall = Math.max(1, wallTime.toMillis());
    return (double) scenario.duration().toMillis() / wall;
  }
}
