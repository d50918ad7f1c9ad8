package org.sangfroid.core.excursion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sangfroid.core.check.InvalidValueException;
import org.sangfroid.core.excursion.ExcursionEvent.Cleared;
import org.sangfroid.core.excursion.ExcursionEvent.Raised;

/**
 * Every default profile's rules, as tables: one scenario per row, readings at a fixed step
 * ({@code v*n} repeats a value n times), and the events of the kinds under test.
 */
class ProfileRulesTest {
  private static final long T0 = 1_763_900_000_000L;
  private static final long MIN = 60_000;
  private static final long HOUR = 60 * MIN;

  /** The events of {@code kinds} when {@code readings} come every {@code stepMinutes}, as "kind@minute". */
  static String run(String profile, long stepMinutes, String readings, String kinds) {
    Profile p = Profiles.byId(profile).orElseThrow();
    List<String> wanted = List.of(kinds.split(" "));
    UnitState s = UnitState.start(T0);
    List<String> out = new ArrayList<>();
    long t = T0;
    for (String token : readings.trim().split("\\s+")) {
      String[] parts = token.split("\\*");
      int times = parts.length == 2 ? Integer.parseInt(parts[1]) : 1;
      for (int i = 0; i < times; i++) {
        var outcome = ExcursionEngine.onSample(p, s, Sample.of(t, Double.parseDouble(parts[0])), t);
        s = outcome.state();
        for (ExcursionEvent e : outcome.events()) {
          if (wanted.contains(e.kind().name())) {
            long at = e instanceof Raised r ? r.raisedAt() : ((Cleared) e).endedAt();
            out.add((e instanceof Raised ? "raise:" : "clear:") + e.kind().name().toLowerCase(Locale.ROOT)
                + "@" + (at - T0) / MIN);
          }
        }
        t += stepMinutes * MIN;
      }
    }
    return String.join(" ", out);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      # Ph. Eur. 0853: total time above -20 °C at most 72 h (readings every hour)
      exactly 72 h above -20 in all: allowed           | -25 -18*72 -25*3                      | ''
      72 h plus one more hour: exposure alarm          | -25 -18*73 -25*3                      | raise:cumulative_exposure@4440
      73 h in three separate excursions adds up        | -25 -18*24 -25 -18*24 -25 -18*25 -25  | raise:cumulative_exposure@4560
      # above -15 °C on one occasion at most
      once above -15: allowed                          | -25 -14 -25*3                         | ''
      a second time above -15: episode alarm           | -25 -14 -25 -14.5 -25                 | raise:episode_limit@180
      wobbling on -15 is one occasion                  | -25 -14 -15.5 -14 -15.2 -14 -25        | ''
      # never above -5 °C, not even once
      exactly -5 is not above                          | -25 -5 -25                            | ''
      a touch above -5: alarm at once                  | -25 -4.9 -25                          | raise:absolute_high@60 clear:absolute_high@120
      """)
  void plasmaForFractionation_PhEur(String scenario, String readings, String expected) {
    if (scenario.startsWith("#")) {
      return;
    }
    assertThat(run("PLASMA_FRACT_PHEUR", 60, readings, "CUMULATIVE_EXPOSURE EPISODE_LIMIT ABSOLUTE_HIGH"))
        .as(scenario).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      one episode of exactly 72 h: exempt              | -25 -18*73 -25                        | ''
      one episode of 72 h and more: alarm              | -25 -18*74 -25                        | raise:episode_duration@4440 clear:episode_duration@4500
      a second episode above -20: alarm                | -25 -18 -25 -19 -25                   | raise:episode_limit@180
      -5 itself is not colder than -5: alarm           | -25 -5 -25                            | raise:absolute_high@60 clear:absolute_high@120
      """)
  void sourcePlasma_UsCanada(String scenario, String readings, String expected) {
    assertThat(run("PLASMA_FRACT_US_CA", 60, readings, "EPISODE_DURATION EPISODE_LIMIT ABSOLUTE_HIGH"))
        .as(scenario).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      in range: quiet                                  | 4*10                                  | ''
      near the top: warning after the delay            | 4 5.6*6 4                             | raise:high_warning@6 clear:high_warning@7
      above +6: warning then alarm                     | 4 6.5*6 4                             | raise:high_temperature@6 raise:high_warning@6 clear:high_temperature@7 clear:high_warning@7
      above +10: discard alarm at once                 | 4 10.5 4                              | raise:absolute_high@1 clear:absolute_high@2
      below +1: alarm at once                          | 4 0.9 4                               | raise:absolute_low@1 clear:absolute_low@2
      """)
  void redCells_EU(String scenario, String readings, String expected) {
    assertThat(run("RBC_STORE_EU", 1, readings,
        "HIGH_WARNING HIGH_TEMPERATURE ABSOLUTE_HIGH ABSOLUTE_LOW LOW_TEMPERATURE LOW_WARNING"))
        .as(scenario).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      -0.4 for an hour: no freeze alarm                | 4 -0.4*8 4                            | ''
      -0.5 is inside the alarm range: 60 min raises    | 4 -0.5*7 4                            | raise:low_temperature@70 clear:low_temperature@80
      -0.5 for 50 min: not yet                         | 4 -0.5*6 4                            | ''
      """)
  void vaccineReference_WhoFreezeAlarm(String scenario, String readings, String expected) {
    assertThat(run("VACCINE_2_8_REF", 10, readings, "LOW_TEMPERATURE")).as(scenario).isEqualTo(expected);
  }

  /** The default profiles' digital inputs, one step a minute (see {@link Scenario} for the script). */
  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', textBlock = """
      RBC_STORE_EU  | door open 4 min: quiet                          | 4 door+ 4*3 door- 4                             | ''
      RBC_STORE_EU  | door open 5 min: alarm from the opening         | 4 door+ 4*5 door- 4                             | raise:door_open@6(from 1) clear:door_open@7
      RBC_STORE_EU  | no reading comes: the tick raises it            | 4 door+ -*4 tick tick door-                     | raise:door_open@6(from 1) clear:door_open@8
      RBC_STORE_EU  | another input's change raises it                | door+ -*5 power+ -*3 door-                      | raise:door_open@5(from 0) clear:door_open@10 raise:power_lost@7(from 6)
      RBC_STORE_EU  | closed before the delay, reported late: raised  | door+ -*7 door-                                 | raise:door_open@5(from 0) clear:door_open@8
      RBC_STORE_EU  | repeated 'open' messages keep the first opening | door+*6 door-                                   | raise:door_open@5(from 0) clear:door_open@6
      RBC_STORE_EU  | open and shut every 4 min: no alarm, no flap    | door+ -*3 door- door+ -*3 door- door+ -*3 door- | ''
      FFP_CRYO_EU   | power lost 1 min: alarm                         | -30 power+ -30 -30 power-                       | raise:power_lost@2(from 1) clear:power_lost@4
      ULT_RBC       | power lost, no reading: the tick raises it      | -80 power+ tick power-                          | raise:power_lost@2(from 1) clear:power_lost@3
      PLT_STORE     | agitator stopped 14 min: quiet                  | 22 agitator+ 22*13 agitator- 22                 | ''
      PLT_STORE     | agitator stopped 15 min: alarm                  | 22 agitator+ 22*15 agitator- 22                 | raise:agitator_stopped@16(from 1) clear:agitator_stopped@17
      RBC_STORE_EU  | a fridge has no agitator rule: ignored          | 4 agitator+ 4*20 agitator-                      | ''
      RBC_TRANSPORT | a box has no door rule: ignored                 | 5 door+ 5*20 door-                              | ''
      """)
  void inputs_doorPowerAgitator(String profile, String scenario, String script, String expected) {
    assertThat(Scenario.of(Profiles.byId(profile).orElseThrow(), 1, script).live()
        .summary("door_open power_lost agitator_stopped")).as(scenario).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', textBlock = """
      RBC_STORE_EU  | one invalid reading: quiet                      | 4 x 4*3                | ''
      RBC_STORE_EU  | invalid for 4 min: quiet                        | 4 x*5 4                | ''
      RBC_STORE_EU  | invalid for 5 min: alarm from the first         | 4 x*6 4                | raise:probe_fault@6(from 1) clear:probe_fault@7
      RBC_STORE_EU  | a valid reading starts the delay again          | 4 x*4 4 x*4 4          | ''
      RBC_STORE_EU  | faults going on: one alarm until a valid one    | 4 x*12 4               | raise:probe_fault@6(from 1) clear:probe_fault@13
      FFP_CRYO_EU   | freezers too                                    | -30 x*6 -30            | raise:probe_fault@6(from 1) clear:probe_fault@7
      RBC_TRANSPORT | transport boxes too                             | 5 x*6 5                | raise:probe_fault@6(from 1) clear:probe_fault@7
      """)
  void probeFault(String profile, String scenario, String script, String expected) {
    assertThat(Scenario.of(Profiles.byId(profile).orElseThrow(), 1, script).live().summary("probe_fault"))
        .as(scenario).isEqualTo(expected);
  }

  /** ISBT 2020: red cells in transport for 24 h at most (hourly readings). */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      a 24 h trip: quiet                                | 5*25         | ''
      longer: raised at the 24 h mark, from the start   | 5*26         | raise:transit_time@1440(from 0)
      the box is offline: the gateway's tick raises it  | 5 -*24 tick  | raise:transit_time@1440(from 0)
      it stays raised, once                             | 5*48 tick    | raise:transit_time@1440(from 0)
      """)
  void transport_maximumTransitTime(String scenario, String script, String expected) {
    assertThat(Scenario.of(Profiles.byId("RBC_TRANSPORT").orElseThrow(), 60, script).live().summary("transit_time"))
        .as(scenario).isEqualTo(expected);
  }

  @Test
  void defaultProfiles_watchTheirProbeDoorPowerAndAgitator_asStandardsSupport() {
    for (Profile p : Profiles.all().values()) {
      assertThat(p.rule(AlarmKind.PROBE_FAULT)).as(p.id()).contains(new Rule.ProbeFault(Duration.ofMinutes(5)));
      boolean box = p.id().equals("RBC_TRANSPORT");
      assertThat(p.rule(AlarmKind.DOOR_OPEN).isPresent()).as(p.id()).isEqualTo(!box);
      assertThat(p.rule(AlarmKind.POWER_LOST).isPresent()).as(p.id()).isEqualTo(!box);
      assertThat(p.rule(AlarmKind.TRANSIT_TIME).isPresent()).as(p.id()).isEqualTo(box);
      assertThat(p.rule(AlarmKind.AGITATOR_STOPPED).isPresent()).as(p.id()).isEqualTo(p.id().equals("PLT_STORE"));
      assertThat(p.source()).as(p.id()).contains(box ? "24 h" : "Door open for 5 min");
    }
    assertThat(Profiles.byId("PLT_STORE").orElseThrow().rule(AlarmKind.AGITATOR_STOPPED))
        .contains(new Rule.InputActive(InputChange.Input.AGITATOR_STOPPED, Duration.ofMinutes(15)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "RBC_STORE_EU, 2.0, 6.0", "RBC_STORE_US, 1.0, 6.0", "RBC_TRANSPORT, 2.0, 10.0", "PLT_STORE, 20.0, 24.0",
      "FFP_CRYO_EU, -Infinity, -25.0", "FFP_US, -Infinity, -18.0", "PLASMA_FRACT_PHEUR, -Infinity, -20.0",
      "PLASMA_FRACT_US_CA, -Infinity, -20.0", "THAWED_PLASMA, 2.0, 6.0", "ULT_RBC, -Infinity, -65.0",
      "VACCINE_2_8_REF, 2.0, 8.0"})
  void defaultProfiles_rangesMatchStandards(String id, double low, double high) {
    Profile p = Profiles.byId(id).orElseThrow();
    assertThat(p.low()).isEqualTo(low);
    assertThat(p.high()).isEqualTo(high);
    assertThat(((Rule.Limit) p.rule(AlarmKind.HIGH_TEMPERATURE).orElseThrow()).limit()).isEqualTo(
        id.equals("VACCINE_2_8_REF") ? 8.0 : high);
  }

  @Test
  void transportProfile_alarmsAtOnce() {
    assertThat(run("RBC_TRANSPORT", 1, "5 10.5 5", "HIGH_TEMPERATURE")).isEqualTo(
        "raise:high_temperature@1 clear:high_temperature@2");
  }

  @Test
  void cumulativeCount_survivesAsState_andDoesNotClear() {
    Profile p = Profiles.byId("PLASMA_FRACT_PHEUR").orElseThrow();
    UnitState s = UnitState.start(T0);
    for (int h = 0; h <= 40; h++) {
      s = ExcursionEngine.onSample(p, s, Sample.of(T0 + h * HOUR, -18), T0 + h * HOUR).state();
    }
    assertThat(s.rule(AlarmKind.CUMULATIVE_EXPOSURE).totalMillis()).isEqualTo(40 * HOUR);
    // A copy of the state (as the gateway stores it) carries on counting.
    UnitState copy = new UnitState(s.watchSince(), s.lastSampleAt(), s.lastValidAt(), s.lastCelsius(), s.rules(),
        s.monitoringLostSince());
    for (int h = 41; h <= 74; h++) {
      copy = ExcursionEngine.onSample(p, copy, Sample.of(T0 + h * HOUR, h < 74 ? -18 : -25), T0 + h * HOUR).state();
    }
    assertThat(copy.rule(AlarmKind.CUMULATIVE_EXPOSURE).phase()).isEqualTo(RuleState.Phase.ALARM);
    assertThat(copy.rule(AlarmKind.CUMULATIVE_EXPOSURE).since()).isEqualTo(T0);
  }

  @Test
  void siteTiming_changesRangeAlarmsAndWarnings_notAbsoluteLimits() {
    Profile p = Profiles.byId("RBC_STORE_EU").orElseThrow().withTiming(Duration.ofMinutes(1), 0.3, Duration.ofMinutes(20));
    assertThat(p.delay()).isEqualTo(Duration.ofMinutes(1));
    assertThat(p.hysteresis()).isEqualTo(0.3);
    assertThat(((Rule.Threshold) p.rule(AlarmKind.HIGH_WARNING).orElseThrow()).delay()).isEqualTo(Duration.ofMinutes(1));
    assertThat(((Rule.Threshold) p.rule(AlarmKind.ABSOLUTE_HIGH).orElseThrow()).delay()).isZero();
    assertThat(p.monitoringLostAfter()).isEqualTo(Duration.ofMinutes(20));
  }

  @Test
  void profile_withTwoRulesOfOneKind_isRejected() {
    Rule a = Rule.Threshold.of(AlarmKind.HIGH_TEMPERATURE, 6, true, Duration.ZERO, 0);
    assertThatThrownBy(() -> new Profile("X", "x", 2, 6, List.of(a, a), Duration.ofMinutes(10), "s"))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("rules [HIGH_TEMPERATURE] must appear once per profile.");
  }
}
