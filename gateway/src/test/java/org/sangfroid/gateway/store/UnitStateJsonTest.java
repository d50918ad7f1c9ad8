package org.sangfroid.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.core.excursion.ExcursionEngine;
import org.sangfroid.core.excursion.ExcursionEvent;
import org.sangfroid.core.excursion.InputChange;
import org.sangfroid.core.excursion.InputChange.Input;
import org.sangfroid.core.excursion.Profile;
import org.sangfroid.core.excursion.Profiles;
import org.sangfroid.core.excursion.Rule;
import org.sangfroid.core.excursion.RuleState;
import org.sangfroid.core.excursion.Sample;
import org.sangfroid.core.excursion.UnitState;

/**
 * The engine's state survives a gateway restart: stored as JSON in the middle of a condition and
 * read back, it goes on exactly as if nothing had happened.
 */
class UnitStateJsonTest {
  private static final long T0 = 1_763_900_000_000L;
  private static final long MIN = 60_000;

  private static Profile profile(String id) {
    Profile fridge = Profiles.byId("RBC_STORE_EU").orElseThrow();
    return switch (id) {
      case "WINDOWED" -> fridge.withRule(Rule.Cumulative.perWindow(AlarmKind.CUMULATIVE_EXPOSURE, 6.0, true, false,
          Duration.ofMinutes(30), Duration.ofHours(2)));
      case "RATE" -> fridge.withRule(new Rule.RateOfChange(3.0, Duration.ofMinutes(15), 1.0));
      default -> Profiles.byId(id).orElseThrow();
    };
  }

  /**
   * A script, one token per step: a reading, {@code x} (invalid), {@code -} (nothing),
   * {@code tick}, {@code restock}, {@code door+}/{@code door-} (and power, agitator),
   * {@code calibN} (calibration due at minute N); {@code token*n} repeats it.
   */
  private record Step(long time, String token) {}

  private static List<Step> steps(long stepMinutes, String script) {
    List<Step> out = new ArrayList<>();
    long t = T0;
    for (String token : script.trim().split("\\s+")) {
      String[] parts = token.split("\\*");
      int times = parts.length == 2 ? Integer.parseInt(parts[1]) : 1;
      for (int i = 0; i < times; i++) {
        out.add(new Step(t, parts[0]));
        t += stepMinutes * MIN;
      }
    }
    return out;
  }

  private static ExcursionEngine.Outcome apply(Profile p, UnitState s, Step step) {
    String token = step.token();
    long t = step.time();
    if (token.equals("-")) {
      return new ExcursionEngine.Outcome(s, List.of(), false);
    }
    if (token.equals("x")) {
      return ExcursionEngine.onSample(p, s, Sample.fault(t), t);
    }
    if (token.equals("tick")) {
      return ExcursionEngine.onTick(p, s, t);
    }
    if (token.equals("restock")) {
      return ExcursionEngine.restock(p, s, t);
    }
    if (token.startsWith("calib")) {
      long due = T0 + Long.parseLong(token.substring(5)) * MIN;
      return new ExcursionEngine.Outcome(ExcursionEngine.withCalibrationDue(s, due), List.of(), false);
    }
    if (Character.isLetter(token.charAt(0))) {
      Input input = Input.valueOf(switch (token.substring(0, token.length() - 1)) {
        case "door" -> "DOOR_OPEN";
        case "power" -> "POWER_LOST";
        default -> "AGITATOR_STOPPED";
      });
      return ExcursionEngine.onInput(p, s, new InputChange(input, token.endsWith("+"), t), t);
    }
    return ExcursionEngine.onSample(p, s, Sample.of(t, Double.parseDouble(token)), t);
  }

  private record Run(UnitState state, List<ExcursionEvent> events, UnitState atRestart) {}

  /** Runs the steps; before the step at {@code restartMinute}, the state goes through {@code restart}. */
  private static Run run(Profile p, List<Step> steps, long restartMinute, UnaryOperator<UnitState> restart) {
    UnitState s = UnitState.start(T0);
    UnitState atRestart = null;
    List<ExcursionEvent> events = new ArrayList<>();
    for (Step step : steps) {
      if (step.time() == T0 + restartMinute * MIN) {
        atRestart = s;
        s = restart.apply(s);
      }
      var out = apply(p, s, step);
      s = out.state();
      events.addAll(out.events());
    }
    return new Run(s, events, atRestart);
  }

  private static UnitState throughJson(UnitState s) {
    return UnitStateJson.read(UnitStateJson.write(s));
  }

  @ParameterizedTest(name = "restart in the middle: {0}")
  @CsvSource(delimiter = '|', textBlock = """
      windowed exposure           | WINDOWED           | 10 | 4 7*2 4*2 7*2 4                 | 40   | CUMULATIVE_EXPOSURE
      exposure over the stay      | PLASMA_FRACT_PHEUR | 60 | -25 restock -18*75 -25          | 1800 | CUMULATIVE_EXPOSURE
      episode count               | PLASMA_FRACT_PHEUR | 60 | -25 -14 -25 -14 -25             | 120  | EPISODE_LIMIT
      rate of change              | RATE               | 1  | 4*16 4 4.1 4.2 4.3 4.4 4.5 4.6 4.7 4.8 4.9 5*10 | 20 | RATE_OF_CHANGE
      probe fault delay           | RBC_STORE_EU       | 1  | 4 x*8 4                         | 4    | PROBE_FAULT
      door open delay             | RBC_STORE_EU       | 1  | 4 door+ 4*8 door- 4             | 4    | DOOR_OPEN
      power lost, raised by tick  | FFP_CRYO_EU        | 1  | -30 power+ - tick power-        | 2    | POWER_LOST
      agitator stopped delay      | PLT_STORE          | 1  | 22 agitator+ 22*16 agitator-    | 10   | AGITATOR_STOPPED
      trip started by a restock   | RBC_TRANSPORT      | 60 | 5 restock 5*30                  | 600  | TRANSIT_TIME
      calibration due date        | RBC_STORE_EU       | 1  | calib5 4*5 tick 4 tick          | 3    | CALIBRATION_OVERDUE
      """)
  void restartInTheMiddleOfACondition_throughJson_continuesCounting(String scenario, String id, long step,
      String script, long restartMinute, AlarmKind kind) {
    Profile p = profile(id);
    List<Step> steps = steps(step, script);
    Run uninterrupted = run(p, steps, restartMinute, s -> s);
    Run restarted = run(p, steps, restartMinute, UnitStateJsonTest::throughJson);
    Run forgotten = run(p, steps, restartMinute, s -> UnitState.start(T0));

    assertThat(uninterrupted.events()).extracting(ExcursionEvent::kind).as(scenario).contains(kind);
    assertThat(restarted.events()).as(scenario).isEqualTo(uninterrupted.events());
    assertThat(restarted.state()).as(scenario).isEqualTo(uninterrupted.state());
    assertThat(forgotten.events()).as("%s: a restart that lost the state would differ", scenario)
        .isNotEqualTo(uninterrupted.events());
    assertThat(throughJson(restarted.atRestart())).isEqualTo(restarted.atRestart());
  }

  @Test
  void windowAndRateState_roundTrip_withTheirSpansAndPoints() {
    UnitState s = new UnitState(1L, 2L, 3L, 4.5, Map.of(
        AlarmKind.CUMULATIVE_EXPOSURE, new RuleState(RuleState.Phase.ALARM, 10L, 40L, 7.5, 30L, 0, 40L, true,
            List.of(new RuleState.Span(10L, 20L), new RuleState.Span(30L, 40L)), List.of()),
        AlarmKind.RATE_OF_CHANGE, new RuleState(RuleState.Phase.NORMAL, UnitState.NEVER, UnitState.NEVER, Double.NaN,
            0, 0, UnitState.NEVER, false, List.of(), List.of(new RuleState.Point(5L, -0.0),
            new RuleState.Point(6L, Double.NaN))),
        AlarmKind.DOOR_OPEN, new RuleState(RuleState.Phase.PENDING, 7L, UnitState.NEVER, Double.NaN, 0, 0, 7L, true)),
        UnitState.NEVER, 100L, 200L, 200L);
    String json = UnitStateJson.write(s);

    assertThat(UnitStateJson.read(json)).isEqualTo(s);
    assertThat(json).contains("\"v\":3").contains("\"spans\":[[10,20],[30,40]]")
        .contains("\"points\":[[5,-0.0],[6,\"NaN\"]]").contains("\"stayStart\":100");
  }

  @Test
  void version2State_isStillRead_withNoRestockAndNoCalibrationKnown() {
    String v2 = "{\"v\":2,\"watchSince\":1,\"lastSampleAt\":2,\"lastValidAt\":2,\"lastCelsius\":-18.0,"
        + "\"rules\":{\"CUMULATIVE_EXPOSURE\":{\"phase\":\"NORMAL\",\"since\":2,\"raisedAt\":null,\"peak\":-18.0,"
        + "\"totalMillis\":3600000,\"episodes\":0,\"lastAt\":2,\"beyondAtLast\":true}},"
        + "\"monitoringLostSince\":null}";
    UnitState s = UnitStateJson.read(v2);

    assertThat(s).isEqualTo(new UnitState(1L, 2L, 2L, -18.0, Map.of(AlarmKind.CUMULATIVE_EXPOSURE,
        new RuleState(RuleState.Phase.NORMAL, 2L, UnitState.NEVER, -18.0, 3_600_000L, 0, 2L, true)),
        UnitState.NEVER));
    assertThat(s.stayStart()).isEqualTo(UnitState.NEVER);
    assertThat(s.calibrationDue()).isEqualTo(UnitState.NEVER);
    assertThat(s.tripStart()).isEqualTo(1L);
  }

  @Test
  void damagedSpans_failWithStoreException_namingTheField() {
    String json = UnitStateJson.write(UnitState.start(5)).replace("\"rules\":{}",
        "\"rules\":{\"CUMULATIVE_EXPOSURE\":{\"phase\":\"NORMAL\",\"since\":null,\"raisedAt\":null,\"peak\":\"NaN\","
            + "\"spans\":[[1]]}}");
    assertThatThrownBy(() -> UnitStateJson.read(json)).isInstanceOf(StoreException.class)
        .hasRootCauseMessage("spans holds [1], not a pair");
  }

  @Test
  void newerVersion_isRefused() {
    String json = UnitStateJson.write(UnitState.start(5)).replace("\"v\":3", "\"v\":4");
    assertThatThrownBy(() -> UnitStateJson.read(json)).isInstanceOf(StoreException.class)
        .hasRootCauseMessage("not a version 1 to 3 unit state");
  }

  @Test
  void unitState_writtenByFoundationVersion1_isStillRead() {
    String v1 = "{\"v\":1,\"watchSince\":1,\"lastSampleAt\":2,\"lastValidAt\":2,\"lastCelsius\":7.0,"
        + "\"high\":{\"phase\":\"PENDING\",\"since\":2,\"raisedAt\":null,\"peak\":7.0},"
        + "\"low\":{\"phase\":\"NORMAL\",\"since\":null,\"raisedAt\":null,\"peak\":\"NaN\"},"
        + "\"monitoringLostSince\":null}";
    assertThat(UnitStateJson.read(v1)).isEqualTo(new UnitState(1L, 2L, 2L, 7.0, Map.of(AlarmKind.HIGH_TEMPERATURE,
        new RuleState(RuleState.Phase.PENDING, 2L, UnitState.NEVER, 7.0, 0, 0, UnitState.NEVER, false)),
        UnitState.NEVER));
  }

  @Test
  void unitStateJson_nonFiniteDoubles_areWrittenAsStrings() {
    String json = UnitStateJson.write(UnitState.start(5));

    assertThat(json).contains("\"lastCelsius\":\"NaN\"").contains("\"lastSampleAt\":null");
  }

  @Test
  void unitStateJson_damagedText_failsWithStoreException() {
    assertThatThrownBy(() -> UnitStateJson.read("{\"v\":1}")).isInstanceOf(StoreException.class)
        .hasMessageContaining("stored unit state cannot be read");
  }
}
