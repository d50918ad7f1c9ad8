package org.sangfroid.core.excursion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.sangfroid.core.excursion.InputChange.Input;

/**
 * The engine's state survives a restart of the gateway or the agent: stored as JSON in the middle
 * of a condition and read back, it goes on exactly as if nothing had happened; every form either
 * of them ever stored is still read.
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
  void damagedSpans_failWithDamagedStateException_namingTheField() {
    String json = UnitStateJson.write(UnitState.start(5)).replace("\"rules\":{}",
        "\"rules\":{\"CUMULATIVE_EXPOSURE\":{\"phase\":\"NORMAL\",\"since\":null,\"raisedAt\":null,\"peak\":\"NaN\","
            + "\"spans\":[[1]]}}");
    assertThatThrownBy(() -> UnitStateJson.read(json)).isInstanceOf(DamagedStateException.class)
        .hasMessage("spans holds [1], not a pair");
  }

  @Test
  void newerVersion_isRefused() {
    String json = UnitStateJson.write(UnitState.start(5)).replace("\"v\":3", "\"v\":4");
    assertThatThrownBy(() -> UnitStateJson.read(json)).isInstanceOf(DamagedStateException.class)
        .hasMessage("not a version 1 to 3 unit state");
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
  void unitStateJson_damagedText_failsWithDamagedStateException() {
    assertThatThrownBy(() -> UnitStateJson.read("{\"v\":1}")).isInstanceOf(DamagedStateException.class)
        .hasMessage("rules missing");
  }

  // ---- the agent's local engine state (its own codec, "v":1, until this one) ----

  private static final long T = 1_768_464_000_000L;
  private static final long NEVER = UnitState.NEVER;

  static Stream<UnitState> states() {
    Map<AlarmKind, RuleState> rules = new EnumMap<>(AlarmKind.class);
    rules.put(AlarmKind.HIGH_TEMPERATURE, new RuleState(RuleState.Phase.PENDING, T, NEVER, 6.5, 0, 0, NEVER, false));
    rules.put(AlarmKind.CUMULATIVE_EXPOSURE, new RuleState(RuleState.Phase.ALARM, T, T + 60_000,
        Double.POSITIVE_INFINITY, 3_600_000, 2, T + 120_000, true, List.of(new RuleState.Span(T, T + 60_000)),
        List.of()));
    rules.put(AlarmKind.RATE_OF_CHANGE, new RuleState(RuleState.Phase.NORMAL, NEVER, NEVER, Double.NaN, 0, 0, NEVER,
        true, List.of(), List.of(new RuleState.Point(T, -25.25), new RuleState.Point(T + 1, Double.NEGATIVE_INFINITY))));
    rules.put(AlarmKind.DOOR_OPEN, new RuleState(RuleState.Phase.PENDING, T, NEVER, Double.NaN, 0, 0, T, true));
    return Stream.of(
        UnitState.start(T),
        new UnitState(T, T + 5, T + 4, -26.0, rules, T + 2, T - 1, T + 86_400_000, NEVER),
        new UnitState(T, NEVER, NEVER, Double.NaN, Map.of(), NEVER, NEVER, T, T + 1));
  }

  @ParameterizedTest
  @MethodSource("states")
  void writeThenRead_givesTheSameState(UnitState state) {
    assertThat(UnitStateJson.read(UnitStateJson.write(state))).isEqualTo(state);
  }

  /** The streaming writer gives, byte for byte, the text databind's tree gave before it (stored forms). */
  @ParameterizedTest
  @MethodSource("states")
  void write_givesTheTextOfDatabindsTree(UnitState state) throws Exception {
    String written = UnitStateJson.write(state);

    assertThat(written).isEqualTo(new ObjectMapper().readTree(written).toString());
  }

  /** What the agent's own codec wrote for {@code states()}'s second state, before this codec. */
  private static final String AGENT_V1 = """
      {"v":1,"watchSince":1768464000000,"lastSampleAt":1768464000005,"lastValidAt":1768464000004,\
      "lastCelsius":-26.0,"rules":{\
      "HIGH_TEMPERATURE":{"phase":"PENDING","since":1768464000000,"raisedAt":null,"peak":6.5,"totalMillis":0,\
      "episodes":0,"lastAt":null,"beyondAtLast":false,"spans":[],"points":[]},\
      "CUMULATIVE_EXPOSURE":{"phase":"ALARM","since":1768464000000,"raisedAt":1768464060000,"peak":"Infinity",\
      "totalMillis":3600000,"episodes":2,"lastAt":1768464120000,"beyondAtLast":true,\
      "spans":[[1768464000000,1768464060000]],"points":[]},\
      "RATE_OF_CHANGE":{"phase":"NORMAL","since":null,"raisedAt":null,"peak":"NaN","totalMillis":0,"episodes":0,\
      "lastAt":null,"beyondAtLast":true,"spans":[],"points":[[1768464000000,-25.25],[1768464000001,"-Infinity"]]},\
      "DOOR_OPEN":{"phase":"PENDING","since":1768464000000,"raisedAt":null,"peak":"NaN","totalMillis":0,\
      "episodes":0,"lastAt":1768464000000,"beyondAtLast":true,"spans":[],"points":[]}},\
      "monitoringLostSince":1768464000002,"stayStart":1768463999999,"calibrationDue":1768550400000,\
      "calibrationOverdueSince":null}""";

  /** States the agent saved on devices in the field before the one codec must still load. */
  @Test
  void agentVersion1State_isStillRead_withItsStayAndCalibration() {
    UnitState expected = states().skip(1).findFirst().orElseThrow();

    assertThat(UnitStateJson.read(AGENT_V1)).isEqualTo(expected);
    assertThat(UnitStateJson.write(expected)).as("written now as version 3").startsWith("{\"v\":3,");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      not json                                     | not JSON
      {"v":4,"rules":{}}                           | not a version 1 to 3 unit state
      {"v":"3","rules":{}}                         | not a version 1 to 3 unit state
      {"v":2,"rules":{}}                           | watchSince missing
      {"v":1}                                      | rules missing
      {"v":1,"rules":{},"watchSince":"x"}          | watchSince is not a whole number
      {"v":1,"rules":{"HOT":{}}}                   | HOT
      {"v":3,"rules":{"DOOR_OPEN":{"phase":"OPEN"}}} | phase holds OPEN, not one of [NORMAL, PENDING, ALARM]
      {"v":3,"rules":{"DOOR_OPEN":{"phase":"NORMAL","since":null,"raisedAt":null,"peak":1,"episodes":1e99}}} | \
        episodes is not a whole number
      {"v":3,"rules":{"DOOR_OPEN":{"phase":"NORMAL","since":null,"raisedAt":null,"peak":1,"beyondAtLast":"yes"}}} | \
        beyondAtLast is not true or false
      {"v":3,"rules":{"DOOR_OPEN":{"phase":"NORMAL","since":null,"raisedAt":null,"peak":1,"spans":[[5,4]]}}} | \
        a value is refused: to [4] must not be before from (5)
      """)
  void read_damaged_saysWhat(String json, String problem) {
    assertThatThrownBy(() -> UnitStateJson.read(json))
        .isInstanceOf(DamagedStateException.class)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(problem);
  }

  // ---- the gateway's current form, literally ----

  @Test
  void gatewayVersion3State_isRead() {
    String v3 = """
        {"v":3,"watchSince":1,"lastSampleAt":50,"lastValidAt":50,"lastCelsius":7.0,"rules":{\
        "CUMULATIVE_EXPOSURE":{"phase":"ALARM","since":10,"raisedAt":40,"peak":7.5,"totalMillis":30,"episodes":0,\
        "lastAt":50,"beyondAtLast":true,"spans":[[10,20],[30,50]]},\
        "RATE_OF_CHANGE":{"phase":"ALARM","since":5,"raisedAt":50,"peak":7.0,"totalMillis":0,"episodes":0,\
        "lastAt":null,"beyondAtLast":true,"points":[[5,4.0],[50,"Infinity"]]}},\
        "monitoringLostSince":null,"stayStart":3,"calibrationDue":1800000000000,"calibrationOverdueSince":60}""";
    UnitState expected = new UnitState(1L, 50L, 50L, 7.0, Map.of(
        AlarmKind.CUMULATIVE_EXPOSURE, new RuleState(RuleState.Phase.ALARM, 10L, 40L, 7.5, 30L, 0, 50L, true,
            List.of(new RuleState.Span(10L, 20L), new RuleState.Span(30L, 50L)), List.of()),
        AlarmKind.RATE_OF_CHANGE, new RuleState(RuleState.Phase.ALARM, 5L, 50L, 7.0, 0, 0, UnitState.NEVER, true,
            List.of(), List.of(new RuleState.Point(5L, 4.0), new RuleState.Point(50L, Double.POSITIVE_INFINITY)))),
        UnitState.NEVER, 3L, 1_800_000_000_000L, 60L);

    assertThat(UnitStateJson.read(v3)).isEqualTo(expected);
    assertThat(UnitStateJson.write(expected)).isEqualTo(v3);
    assertThat(UnitStateJson.read(v3.replace("{\"v\":3,", "{\"v\":3,\"note\":[1],")))
        .as("a field this code does not write: read by the tree reader, the same").isEqualTo(expected);
    assertThat(UnitStateJson.read(v3.replace("\"peak\":7.5,", "\"peak\":7.5,\"peak\":8,")).rules()
        .get(AlarmKind.CUMULATIVE_EXPOSURE).peak()).as("a repeated field: the last one, as before").isEqualTo(8.0);
  }

  /**
   * A field added to {@link UnitState} or {@link RuleState} and forgotten here would be lost at
   * every restart (a missed alarm): each record component must appear in the written form.
   */
  @Test
  void everyFieldOfTheState_isWritten() throws Exception {
    UnitState s = states().skip(1).findFirst().orElseThrow();
    JsonNode written = new ObjectMapper().readTree(UnitStateJson.write(s));

    for (RecordComponent c : UnitState.class.getRecordComponents()) {
      assertThat(written.has(c.getName())).as("UnitState.%s written", c.getName()).isTrue();
    }
    for (RecordComponent c : RuleState.class.getRecordComponents()) {
      assertThat(written.path("rules").properties()).as("RuleState.%s written", c.getName())
          .anyMatch(rule -> rule.getValue().has(c.getName()));
    }
  }
}
