package org.sangfroid.simulator.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.simulator.scenario.Scenario;
import org.sangfroid.simulator.scenario.ScenarioFile;

/** A small report built by hand: one fridge, one matched alarm, one missing, one unexpected. */
final class ReportFixture {
  static final Scenario SCENARIO = ScenarioFile.parse("fixture.yaml", """
      name: Fridge <door> & "quotes"
      description: A fridge whose door is left open.
      duration: 2h
      sites:
        - id: casa-01
          agents:
            - id: agent-01
              units:
                - {id: fridge-1, name: Fridge <1>, kind: fridge, profile: RBC_STORE_EU}
      events:
        - {type: door-open, unit: fridge-1, at: 30m, duration: 20m}
        - {type: probe-disconnect, probe: fridge-1-probe, at: 90m, duration: 5m}
      expect:
        - {unit: fridge-1, kind: HIGH_TEMPERATURE, start: 35m}
        - {unit: fridge-1, kind: ABSOLUTE_LOW, start: 1h}
      """);
  static final Instant T0 = SCENARIO.start();

  private ReportFixture() {}

  static RaisedAlarm alarm(long id, AlarmKind kind, int startMinutes, int raisedMinutes, Integer clearedMinutes) {
    return new RaisedAlarm(id, "fridge-1", kind, T0.plusSeconds(60L * startMinutes), T0.plusSeconds(60L * raisedMinutes),
        Optional.ofNullable(clearedMinutes).map(m -> T0.plusSeconds(60L * m)), OptionalDouble.of(9.5), false);
  }

  static RunReport report(long stored) {
    List<RaisedAlarm> raised = List.of(alarm(1, AlarmKind.HIGH_TEMPERATURE, 36, 41, 60),
        alarm(2, AlarmKind.PROBE_FAULT, 90, 95, null));
    List<RunReport.Point> points = new ArrayList<>();
    for (int m = 0; m <= 120; m++) {
      boolean fault = m >= 90 && m < 95;
      points.add(new RunReport.Point(T0.plusSeconds(60L * m), "fridge-1-probe",
          fault ? Double.NaN : 4 + (m > 30 && m < 60 ? 5 : 0), fault ? "disconnected" : "ok"));
    }
    RunReport.UnitTrace trace = new RunReport.UnitTrace("fridge-1", "Fridge <1>", "fridge", "RBC_STORE_EU",
        List.of(new RunReport.Limit("HIGH_TEMPERATURE", 6, true), new RunReport.Limit("HIGH_WARNING", 5.5, true),
            new RunReport.Limit("ABSOLUTE_HIGH", 10, true), new RunReport.Limit("LOW_TEMPERATURE", 2, false)),
        points, List.of(new RunReport.Span("door-open", T0.plusSeconds(1800), T0.plusSeconds(3000))), raised);
    return new RunReport(SCENARIO, "fixture.yaml", Matching.of(SCENARIO, raised, true),
        new RunReport.Counts(121, 121, stored, 0, 0, 0, 2), "ab".repeat(32), true, Duration.ofMillis(900),
        Duration.ofMillis(1500),
        List.of(trace));
  }
}
