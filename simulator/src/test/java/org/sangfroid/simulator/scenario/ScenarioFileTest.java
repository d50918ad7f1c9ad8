package org.sangfroid.simulator.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.sangfroid.core.config.ConfigException;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.core.excursion.Rule;
import org.sangfroid.core.wire.Quality;
import org.sangfroid.simulator.probe.ProbeType;
import org.sangfroid.simulator.thermal.UnitKind;

class ScenarioFileTest {
  static final String MINIMAL = """
      name: Minimal
      duration: 2h
      sites:
        - id: casa-01
          agents:
            - id: agent-01
              units:
                - id: rbc-fridge-1
                  kind: fridge
                  profile: RBC_STORE_EU
      """;

  static final String FULL = """
      name: Full
      description: every key
      seed: 42
      start: 2026-03-01T08:00:00Z
      duration: 2d
      step: 5m
      tick: 10m
      ambient: 25
      sites:
        - id: casa-01
          name: Casablanca
          agents:
            - id: agent-01
              outbox: 500
              batchSize: 100
              units:
                - id: rbc-fridge-1
                  name: Fridge 1
                  kind: fridge
                  profile: RBC_STORE_EU
                  delay: 10m
                  hysteresis: 0.3
                  monitoringLostAfter: 20m
                  rateOfChange: {perHour: 4, window: 15m, hysteresis: 1}
                  ambient: 18
                  setPoint: 4.5
                  probes:
                    - id: fridge-1-glycol
                      type: glycol
                      lag: 20m
                      noise: 0.05
                      resolution: 0.0625
                    - id: fridge-1-air
                      type: air
                - id: plt-1
                  kind: incubator
                  profile: PLT_STORE
                - id: box-1
                  kind: transport-box
                  profile: RBC_TRANSPORT
                  transitTime: 330m
      events:
        - {type: door-open, unit: rbc-fridge-1, at: 6h10m, duration: 30m, load: 2}
        - {type: power-cut, site: casa-01, at: 1d, duration: 2h}
        - {type: probe-drift, probe: fridge-1-air, at: 0s, perDay: -0.5}
        - {type: agitator-stop, unit: plt-1, at: 3h, duration: 1h}
        - {type: clock-unsynced, agent: agent-01, at: 1d2h, duration: 20m, behind: 3h}
        - {type: probe-crc-error, probe: fridge-1-air, at: 1h, duration: 5m}
      expect:
        - unit: rbc-fridge-1
          kind: HIGH_TEMPERATURE
          start: 6h20m
          tolerance: 10m
        - {unit: plt-1, none: true}
      ignore: [HIGH_WARNING, LOW_WARNING]
      """;

  @Test
  void parse_minimalFile_takesTheDefaults() {
    Scenario s = ScenarioFile.parse("minimal.yaml", MINIMAL);

    assertThat(s.seed()).isEqualTo(1);
    assertThat(s.start()).isEqualTo(ScenarioFile.DEFAULT_START);
    assertThat(s.step()).isEqualTo(Duration.ofMinutes(1));
    assertThat(s.tick()).isEqualTo(s.step());
    assertThat(s.steps()).isEqualTo(120);
    Scenario.Unit u = s.units().get(0);
    assertThat(u.name()).isEqualTo("rbc-fridge-1");
    assertThat(u.ambient()).isEqualTo(22);
    assertThat(u.setPoint()).isEqualTo(4.0);
    assertThat(u.probes()).singleElement().satisfies(p -> {
      assertThat(p.id()).isEqualTo("rbc-fridge-1-probe");
      assertThat(p.parameters()).isEqualTo(UnitKind.FRIDGE.probe());
    });
    assertThat(s.agents().get(0).outbox()).isEqualTo(ScenarioFile.DEFAULT_OUTBOX);
    assertThat(s.expected()).isEmpty();
  }

  @Test
  void parse_everyKey_readsThemAll() {
    Scenario s = ScenarioFile.parse("full.yaml", FULL);

    assertThat(s.seed()).isEqualTo(42);
    assertThat(s.start()).isEqualTo(Instant.parse("2026-03-01T08:00:00Z"));
    assertThat(s.duration()).isEqualTo(Duration.ofDays(2));
    assertThat(s.tick()).isEqualTo(Duration.ofMinutes(10));
    Scenario.Agent a = s.agents().get(0);
    assertThat(a.outbox()).isEqualTo(500);
    assertThat(a.batchSize()).isEqualTo(100);
    Scenario.Unit fridge = s.unit("rbc-fridge-1").orElseThrow();
    assertThat(fridge.delay()).contains(Duration.ofMinutes(10));
    assertThat(fridge.hysteresis()).contains(0.3);
    assertThat(fridge.monitoringLostAfter()).contains(Duration.ofMinutes(20));
    assertThat(fridge.effectiveProfile().monitoringLostAfter()).isEqualTo(Duration.ofMinutes(20));
    assertThat(fridge.effectiveProfile().rule(AlarmKind.RATE_OF_CHANGE))
        .contains(new Rule.RateOfChange(4, Duration.ofMinutes(15), 1));
    assertThat(s.unit("box-1").orElseThrow().effectiveProfile().rule(AlarmKind.TRANSIT_TIME))
        .contains(new Rule.TransitTime(Duration.ofMinutes(330)));
    assertThat(fridge.ambient()).isEqualTo(18);
    assertThat(fridge.setPoint()).isEqualTo(4.5);
    assertThat(fridge.probes()).extracting(p -> p.parameters().type()).containsExactly(ProbeType.GLYCOL, ProbeType.AIR);
    assertThat(fridge.probes().get(0).parameters().lag()).isEqualTo(Duration.ofMinutes(20));
    assertThat(s.unit("plt-1").orElseThrow().ambient()).as("the scenario's ambient").isEqualTo(25);
    assertThat(s.events()).containsExactly(
        new Event.DoorOpen("rbc-fridge-1", Duration.ofMinutes(370), Optional.of(Duration.ofMinutes(30)), 2),
        new Event.PowerCut(java.util.List.of("rbc-fridge-1", "plt-1", "box-1"), Duration.ofDays(1),
            Optional.of(Duration.ofHours(2))),
        new Event.ProbeDrift("fridge-1-air", Duration.ZERO, Optional.empty(), -0.5),
        new Event.AgitatorStop("plt-1", Duration.ofHours(3), Optional.of(Duration.ofHours(1))),
        new Event.ClockUnsynced("agent-01", Duration.ofHours(26), Optional.of(Duration.ofMinutes(20)),
            Duration.ofHours(3)),
        new Event.ProbeFault("fridge-1-air", Duration.ofHours(1), Optional.of(Duration.ofMinutes(5)),
            Quality.CRC_ERROR));
    assertThat(s.expected()).containsExactly(new Scenario.Expectation("rbc-fridge-1", AlarmKind.HIGH_TEMPERATURE,
        Duration.ofMinutes(380), Duration.ofMinutes(10)));
    assertThat(s.quiet()).containsExactly("plt-1");
    assertThat(s.ignored()).containsExactlyInAnyOrder(AlarmKind.HIGH_WARNING, AlarmKind.LOW_WARNING);
  }

  /** One bad line at a time in the minimal file, and the message it gives (file:line: what). */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      unknown key           | duration: 2h           | duraton: 2h\\nduration: 2h | bad.yaml:2: duraton is not a known setting
      duration too long     | duration: 2h           | duration: 40d              | bad.yaml:2: duration [40d] must be a duration from 1m to 31d
      bad kind              | kind: fridge           | kind: fridgee              | bad.yaml:9: sites[0].agents[0].units[0].kind [fridgee] must be one of fridge, freezer, incubator, ult-freezer, cold-room, transport-box
      bad profile           | profile: RBC_STORE_EU  | profile: RBC               | bad.yaml:10: sites[0].agents[0].units[0].profile [RBC] must be one of RBC_STORE_EU
      bad start             | name: Minimal          | name: Minimal\\nstart: monday | bad.yaml:2: start [monday] must be a UTC time such as 2026-01-05T00:00:00Z
      tick not whole steps  | duration: 2h           | duration: 2h\\nstep: 2m\\ntick: 3m | bad.yaml:4: tick [3m] must be a whole number of steps (2m)
      """)
  void parse_badValue_saysWhatAndWhere(String what, String line, String replacement, String message) {
    String text = MINIMAL.replace(line, replacement.replace("\\n", "\n"));

    assertThatThrownBy(() -> ScenarioFile.parse("bad.yaml", text))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).anySatisfy(p -> assertThat(p).startsWith(message)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      unknown unit          | {type: door-open, unit: fridge-9, at: 1h, duration: 5m}          | events[0].unit [fridge-9] must be a unit of this scenario (rbc-fridge-1)
      after the end         | {type: door-open, unit: rbc-fridge-1, at: 3h, duration: 5m}      | events[0].at [3h] must be before the end of the run (2h)
      no duration           | {type: door-open, unit: rbc-fridge-1, at: 1h}                    | events[0].duration is missing: a door-open event needs one
      unknown type          | {type: door-slam, unit: rbc-fridge-1, at: 1h}                    | events[0].type [door-slam] must be one of door-open
      agitator on a fridge  | {type: agitator-stop, unit: rbc-fridge-1, at: 1h}                | events[0].unit [rbc-fridge-1] must be a unit with an agitator (an incubator)
      unknown agent         | {type: network-loss, agent: agent-9, at: 1h}                     | events[0].agent [agent-9] must be a agent of this scenario (agent-01)
      zero drift            | {type: probe-drift, probe: rbc-fridge-1-probe, at: 1h, perDay: 0} | events[0].perDay [0] must be a drift of -10 to 10 °C a day, not 0
      key of another type   | {type: door-open, unit: rbc-fridge-1, at: 1h, duration: 5m, celsius: 3} | events[0].celsius is not a known setting
      unit and site         | {type: power-cut, unit: rbc-fridge-1, site: casa-01, at: 1h}     | events[0] must name either a unit or a site
      """)
  void parse_badEvent_saysWhatAndWhere(String what, String event, String message) {
    String text = MINIMAL + "events:\n  - " + event + "\n";

    assertThatThrownBy(() -> ScenarioFile.parse("bad.yaml", text))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems())
            .anySatisfy(p -> assertThat(p).startsWith("bad.yaml:12: " + message)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      kind the profile cannot raise | {unit: rbc-fridge-1, kind: TRANSIT_TIME, start: 1h}   | expect[0].kind [TRANSIT_TIME] must be an alarm the profile RBC_STORE_EU can raise
      unknown kind                  | {unit: rbc-fridge-1, kind: TOO_HOT, start: 1h}        | expect[0].kind [TOO_HOT] must be an alarm kind such as HIGH_TEMPERATURE
      start after the end           | {unit: rbc-fridge-1, kind: HIGH_TEMPERATURE, start: 3h} | expect[0].start [3h] must be within the run (2h)
      none with a kind              | {unit: rbc-fridge-1, none: true, kind: HIGH_TEMPERATURE} | expect[0] says none: true, so it must not give kind, start or tolerance
      """)
  void parse_badExpectation_saysWhatAndWhere(String what, String expectation, String message) {
    String text = MINIMAL + "expect:\n  - " + expectation + "\n";

    assertThatThrownBy(() -> ScenarioFile.parse("bad.yaml", text))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems())
            .anySatisfy(p -> assertThat(p).startsWith("bad.yaml:12: " + message)));
  }

  @Test
  void parse_unitQuietAndExpected_isAContradiction() {
    String text = MINIMAL + """
        expect:
          - {unit: rbc-fridge-1, none: true}
          - {unit: rbc-fridge-1, kind: HIGH_TEMPERATURE, start: 1h}
        """;

    assertThatThrownBy(() -> ScenarioFile.parse("bad.yaml", text))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unit [rbc-fridge-1] is said to raise nothing (line 12) but an alarm is expected on"
            + " line 13");
  }

  @Test
  void parse_duplicateIds_areReportedWithTheFirstLine() {
    String text = MINIMAL + """
                  - id: rbc-fridge-1
                    kind: freezer
                    profile: FFP_CRYO_EU
        """;

    assertThatThrownBy(() -> ScenarioFile.parse("bad.yaml", text))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("bad.yaml:11: sites[0].agents[0].units[1].id [rbc-fridge-1] must be unique among the"
            + " units of the scenario, found also on line 8.");
  }

  @Test
  void parse_severalProblems_listsThemAll() {
    String text = MINIMAL.replace("kind: fridge", "kind: fridgee").replace("duration: 2h", "duration: -2h");

    assertThatThrownBy(() -> ScenarioFile.parse("bad.yaml", text))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(2));
  }
}
