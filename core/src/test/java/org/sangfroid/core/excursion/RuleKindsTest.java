package org.sangfroid.core.excursion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sangfroid.core.excursion.Scenario.MIN;
import static org.sangfroid.core.excursion.Scenario.T0;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sangfroid.core.check.InvalidValueException;
import org.sangfroid.core.excursion.ExcursionEvent.Cleared;
import org.sangfroid.core.excursion.ExcursionEvent.Raised;
import org.sangfroid.core.excursion.InputChange.Input;

/**
 * The rule kinds beyond thresholds, as tables (see {@link Scenario} for the scripts): windowed
 * exposure, a new stay, rate of change, probe fault, inputs, transit time, calibration; and the
 * backlog replay contract for all of them.
 */
class RuleKindsTest {
  /** A red-cell fridge's range only, plus the rule under test. */
  private static Profile fridgeWith(Rule rule) {
    Profile p = Profiles.byId("RBC_STORE_EU").orElseThrow();
    return new Profile("TEST", "test", p.low(), p.high(), List.of(p.rule(AlarmKind.HIGH_TEMPERATURE).orElseThrow(),
        p.rule(AlarmKind.LOW_TEMPERATURE).orElseThrow(), rule), p.monitoringLostAfter(), "test (D)");
  }

  /** At most 30 min above +6 °C in any 2 h. */
  static final Profile WINDOWED = fridgeWith(Rule.Cumulative.perWindow(AlarmKind.CUMULATIVE_EXPOSURE, 6.0, true,
      false, Duration.ofMinutes(30), Duration.ofHours(2)));
  /** At most 3 °C/h over 15 min, clearing at 2 °C/h. */
  static final Profile RATE = fridgeWith(new Rule.RateOfChange(3.0, Duration.ofMinutes(15), 1.0));

  private static Profile profile(String id) {
    return switch (id) {
      case "WINDOWED" -> WINDOWED;
      case "RATE" -> RATE;
      default -> Profiles.byId(id).orElseThrow();
    };
  }

  private static String live(String profile, long step, String script, String kinds) {
    return Scenario.of(profile(profile), step, script).live().summary(kinds);
  }

  // ---- cumulative time beyond a limit within a rolling window (readings every 10 min) ----

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      30 min above in the window: allowed                   | 4 7*3 4*20                    | ''
      40 min above: raised from the first reading above     | 4 7*4 4                       | raise:cumulative_exposure@50(from 10)
      two stretches in one window add up                    | 4 7*2 4*3 7*2 4               | raise:cumulative_exposure@80(from 10)
      stretches further apart than the window do not        | 4 7*2 4*12 7*2 4*3            | ''
      clears once a whole window had no time above          | 4 7*4 4*13                    | raise:cumulative_exposure@50(from 10) clear:cumulative_exposure@170
      short stays above after the alarm: no flapping        | 4 7*4 4*2 7 4*2 7 4*2 7 4     | raise:cumulative_exposure@50(from 10)
      the window slides: old exposure leaves it             | 4 7*3 4*10 7*3 4              | ''
      """)
  void cumulative_perWindow(String scenario, String readings, String expected) {
    assertThat(live("WINDOWED", 10, readings, "cumulative_exposure")).as(scenario).isEqualTo(expected);
  }

  @Test
  void cumulative_perWindow_keepsOnlyTheSpansInTheWindow() {
    UnitState s = Scenario.of(WINDOWED, 10, "4 7*2 4*3 7*2 4*3 7 4*12").live().state();
    RuleState st = s.rule(AlarmKind.CUMULATIVE_EXPOSURE);
    // Last reading at 230 min: the window is [110, 230); only the stretch [110, 120) is left.
    assertThat(st.spans()).containsExactly(new RuleState.Span(T0 + 110 * MIN, T0 + 120 * MIN));
    assertThat(st.totalMillis()).isEqualTo(10 * MIN);
  }

  @Test
  void cumulative_perWindow_stateStaysBounded_andNeverCountsLessThanTheTruth() {
    // 300 separate 1-minute stretches above in one 24 h window, allowance 10 h: more than MAX_SPANS.
    Profile p = fridgeWith(Rule.Cumulative.perWindow(AlarmKind.CUMULATIVE_EXPOSURE, 6.0, true, false,
        Duration.ofHours(10), Duration.ofHours(24)));
    Scenario.Run run = Scenario.of(p, 1, "7 4 ".repeat(300)).live();
    RuleState st = run.state().rule(AlarmKind.CUMULATIVE_EXPOSURE);
    assertThat(st.spans()).hasSize(ExcursionEngine.MAX_SPANS);
    assertThat(st.totalMillis()).isBetween(300 * MIN, 600 * MIN);
    assertThat(run.events()).isEmpty();
  }

  @Test
  void cumulative_windowNotLongerThanAllowance_isRejected() {
    assertThatThrownBy(() -> Rule.Cumulative.perWindow(AlarmKind.CUMULATIVE_EXPOSURE, 6, true, false,
        Duration.ofHours(4), Duration.ofHours(4)))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("window [PT4H] must be longer than the allowance (PT4H).");
  }

  // ---- a new product stay (restock / new trip) ----

  @ParameterizedTest(name = "{2}")
  @CsvSource(delimiter = '|', textBlock = """
      PLASMA_FRACT_PHEUR | 60 | 40 h + 40 h above -20 in one stay: exposure alarm  | -25 -18*40 - -18*40 -25       | cumulative_exposure | raise:cumulative_exposure@4440(from 60)
      PLASMA_FRACT_PHEUR | 60 | a new stay between: each has its own 72 h         | -25 -18*40 restock -18*40 -25 | cumulative_exposure | ''
      PLASMA_FRACT_PHEUR | 60 | the spent allowance's alarm clears at the restock | -25 -18*74 restock -25        | cumulative_exposure | raise:cumulative_exposure@4440(from 60) clear:cumulative_exposure@4500
      PLASMA_FRACT_PHEUR | 60 | a second time above -15 in one stay: alarm        | -25 -14 -25 - -14 -25         | episode_limit       | raise:episode_limit@240(from 240)
      PLASMA_FRACT_PHEUR | 60 | the episode count starts again                    | -25 -14 -25 restock -14 -25   | episode_limit       | ''
      PLASMA_FRACT_US_CA | 60 | an episode running at the restock counts anew     | -25 -18*2 restock -18*2 -25   | episode_limit       | ''
      PLASMA_FRACT_US_CA | 60 | its length too                                    | -25 -18*40 restock -18*40 -25 | episode_duration    | ''
      RBC_STORE_EU       | 1  | the unit's own temperature alarm stays            | 4 7*6 restock 7 4             | high_temperature    | raise:high_temperature@6(from 1) clear:high_temperature@9
      RBC_TRANSPORT      | 60 | a new trip clears the transit alarm               | 5*26 restock 5*24             | transit_time        | raise:transit_time@1440(from 0) clear:transit_time@1560
      """)
  void restock_startsANewStay(String profile, long step, String scenario, String script, String kinds,
      String expected) {
    assertThat(live(profile, step, script, kinds)).as(scenario).isEqualTo(expected);
  }

  @Test
  void restock_whileBeyond_countsExposureFromTheRestockOn() {
    Profile p = Profiles.byId("PLASMA_FRACT_PHEUR").orElseThrow();
    UnitState s = Scenario.of(p, 60, "-25 -18*10").live().state(); // above -20 from 1 h, last reading at 10 h
    UnitState restocked = ExcursionEngine.restock(p, s, T0 + 630 * MIN).state(); // 10.5 h
    assertThat(restocked.stayStart()).isEqualTo(T0 + 630 * MIN);
    assertThat(restocked.rule(AlarmKind.CUMULATIVE_EXPOSURE).totalMillis()).isZero();
    UnitState after = ExcursionEngine.onSample(p, restocked, Sample.of(T0 + 720 * MIN, -18), T0 + 720 * MIN).state();
    assertThat(after.rule(AlarmKind.CUMULATIVE_EXPOSURE).totalMillis()).isEqualTo(90 * MIN);
  }

  // ---- rate of change (step column: minutes between readings) ----

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', textBlock = """
      1  | steady: quiet                                         | 4*30                          | ''
      1  | a 0.5 °C resolution step between two readings: quiet  | 4*20 4.5*20 4*20              | ''
      1  | warming 6 °C/h: raised, from the window's start       | 4*16 4..6/21 6*30             | raise:rate_of_change@24(from 9) clear:rate_of_change@46
      15 | hovering above the limit and below it: one alarm      | 4 4.8 5.5 6.3 7.0 7.0 7.0     | raise:rate_of_change@15(from 0) clear:rate_of_change@75
      15 | cooling fast raises too                               | 4 3 2 2 2                     | raise:rate_of_change@15(from 0) clear:rate_of_change@45
      15 | exactly the limit is allowed                          | 4 4.75 5.5 5.5                | ''
      """)
  void rateOfChange(long step, String scenario, String script, String expected) {
    assertThat(live("RATE", step, script, "rate_of_change")).as(scenario).isEqualTo(expected);
  }

  @Test
  void rateOfChange_raised_carriesTemperatureAndPeakOfTheChange() {
    List<ExcursionEvent> events = Scenario.of(RATE, 15, "4 3 2 2.5 2.5").live().events();
    assertThat(events).containsExactly(
        new Raised(AlarmKind.RATE_OF_CHANGE, T0, T0 + 15 * MIN, 3.0, Double.NaN, 3.0, false),
        new Cleared(AlarmKind.RATE_OF_CHANGE, T0 + 45 * MIN, 2.0));
  }

  @Test
  void rateOfChange_stateStaysSmall_whateverTheReadingRate() {
    // A reading every second for an hour: the rule keeps a reading every window / 32 at most.
    Profile p = RATE;
    UnitState s = UnitState.start(T0);
    for (int i = 0; i < 3600; i++) {
      s = ExcursionEngine.onSample(p, s, Sample.of(T0 + i * 1000L, 4), T0 + i * 1000L).state();
    }
    assertThat(s.rule(AlarmKind.RATE_OF_CHANGE).points()).hasSizeLessThanOrEqualTo(
        ExcursionEngine.POINTS_PER_WINDOW + 2);
  }

  @Test
  void rateOfChange_isNotInAnyDefaultProfile_butASiteMayAddIt() {
    assertThat(Profiles.all().values()).allSatisfy(p -> assertThat(p.rule(AlarmKind.RATE_OF_CHANGE)).isEmpty());
    Profile site = Profiles.byId("RBC_STORE_EU").orElseThrow()
        .withRule(new Rule.RateOfChange(3.0, Duration.ofMinutes(15), 1.0));
    assertThat(site.rule(AlarmKind.RATE_OF_CHANGE)).isPresent();
    assertThat(AlarmKind.RATE_OF_CHANGE.severity()).isEqualTo(AlarmKind.Severity.WARNING);
  }

  // ---- calibration overdue (the gateway's clock) ----

  @Test
  void calibrationOverdue_raisedByTheTickOncePastTheDueDate_clearedByALaterOne() {
    Profile p = Profiles.byId("RBC_STORE_EU").orElseThrow();
    long due = T0 + 60 * MIN;
    UnitState s = ExcursionEngine.withCalibrationDue(UnitState.start(T0), due);
    s = keepMonitoring(p, s, due);
    assertThat(ExcursionEngine.onTick(p, s, due).events()).as("due, not yet overdue").isEmpty();

    var overdue = ExcursionEngine.onTick(p, s, due + 1);
    assertThat(overdue.events()).containsExactly(new Raised(AlarmKind.CALIBRATION_OVERDUE, due, due + 1,
        Double.NaN, Double.NaN, Double.NaN, false));
    assertThat(overdue.state().calibrationOverdue()).isTrue();
    UnitState still = keepMonitoring(p, overdue.state(), due + 2 * MIN);
    assertThat(ExcursionEngine.onTick(p, still, due + 2 * MIN).events()).as("raised once").isEmpty();

    UnitState laterButPast = ExcursionEngine.withCalibrationDue(still, due + MIN);
    assertThat(ExcursionEngine.onTick(p, laterButPast, due + 2 * MIN).events()).as("still overdue").isEmpty();

    UnitState renewed = ExcursionEngine.withCalibrationDue(still, due + 365L * 24 * 60 * MIN);
    var cleared = ExcursionEngine.onTick(p, renewed, due + 3 * MIN);
    assertThat(cleared.events()).containsExactly(new Cleared(AlarmKind.CALIBRATION_OVERDUE, due + 3 * MIN,
        Double.NaN));
    assertThat(cleared.state().calibrationOverdue()).isFalse();
  }

  @Test
  void calibrationOverdue_unknownDueDate_raisesNothing() {
    Profile p = Profiles.byId("RBC_STORE_EU").orElseThrow();
    UnitState s = keepMonitoring(p, UnitState.start(T0), T0 + 1000 * MIN);
    assertThat(ExcursionEngine.onTick(p, s, T0 + 1000 * MIN).events()).isEmpty();
  }

  private static UnitState keepMonitoring(Profile p, UnitState s, long t) {
    return ExcursionEngine.onSample(p, s, Sample.of(t, 4), t).state();
  }

  @Test
  void badRuleValues_areRejectedNamingTheFieldAndValue() {
    assertThatThrownBy(() -> new Rule.RateOfChange(0, Duration.ofMinutes(15), 0))
        .hasMessage("perHour [0.0] must be a positive number (°C/h).");
    assertThatThrownBy(() -> new Rule.RateOfChange(3, Duration.ofMinutes(15), 3))
        .hasMessage("hysteresis [3.0] must be at least 0 and below perHour (3.0 °C/h).");
    assertThatThrownBy(() -> new Rule.RateOfChange(3, Duration.ZERO, 1))
        .hasMessage("window [PT0S] must be at least one second.");
    assertThatThrownBy(() -> new Rule.ProbeFault(Duration.ofMinutes(-1)))
        .hasMessage("delay [PT-1M] must not be negative.");
    assertThatThrownBy(() -> new Rule.InputActive(Input.DOOR_OPEN, Duration.ofMinutes(-1)))
        .hasMessage("delay [PT-1M] must not be negative.");
    assertThatThrownBy(() -> new Rule.InputActive(null, Duration.ZERO)).hasMessage("input must be given.");
    assertThatThrownBy(() -> new Rule.TransitTime(Duration.ZERO)).hasMessage("longest [PT0S] must be positive.");
    assertThatThrownBy(() -> new RuleState.Span(5, 4)).hasMessage("to [4] must not be before from (5).");
    assertThatThrownBy(() -> ExcursionEngine.restock(RATE, UnitState.start(T0), UnitState.NEVER))
        .isInstanceOf(InvalidValueException.class);
  }

  @Test
  void kindsNotRaisedByRules_areRejectedInAProfile() {
    Profile p = Profiles.byId("RBC_STORE_EU").orElseThrow();
    Rule gap = Rule.Threshold.of(AlarmKind.SEQUENCE_GAP, 6, true, Duration.ZERO, 0);
    assertThatThrownBy(() -> p.withRule(gap)).isInstanceOf(InvalidValueException.class)
        .hasMessage("rules [SEQUENCE_GAP] must not be a rule: the gateway raises it.");
    Rule door = Rule.Threshold.of(AlarmKind.DOOR_OPEN, 6, true, Duration.ZERO, 0);
    assertThatThrownBy(() -> p.withRule(door)).isInstanceOf(InvalidValueException.class)
        .hasMessage("rules [DOOR_OPEN] must not be a temperature-limit rule.");
    assertThat(AlarmKind.SEQUENCE_GAP.severity()).isEqualTo(AlarmKind.Severity.ALARM);
  }

  // ---- inputs: their own order ----

  @Test
  void input_olderThanTheLastOfTheSameInput_isIgnoredAndFlagged() {
    Profile p = Profiles.byId("RBC_STORE_EU").orElseThrow();
    UnitState s = ExcursionEngine.onInput(p, UnitState.start(T0), new InputChange(Input.DOOR_OPEN, true, T0 + 2 * MIN),
        T0 + 2 * MIN).state();
    var older = ExcursionEngine.onInput(p, s, new InputChange(Input.DOOR_OPEN, false, T0 + MIN), T0 + 2 * MIN);
    assertThat(older.outOfOrder()).isTrue();
    assertThat(older.state()).isEqualTo(s);
  }

  @Test
  void input_isEvaluatedInItsOwnOrder_notTheReadings() {
    Profile p = Profiles.byId("RBC_STORE_EU").orElseThrow();
    UnitState s = Scenario.of(p, 1, "4*30").live().state(); // readings up to minute 29
    // The door opened at minute 10 and closed at minute 20: both older than the readings.
    var open = ExcursionEngine.onInput(p, s, new InputChange(Input.DOOR_OPEN, true, T0 + 10 * MIN), T0 + 30 * MIN);
    assertThat(open.outOfOrder()).isFalse();
    var close = ExcursionEngine.onInput(p, open.state(), new InputChange(Input.DOOR_OPEN, false, T0 + 20 * MIN),
        T0 + 30 * MIN);
    assertThat(close.outOfOrder()).isFalse();
    assertThat(close.events()).extracting(Scenario::describe)
        .containsExactly("raise:door_open@15(from 10)", "clear:door_open@20");
    assertThat(((Raised) close.events().get(0)).late()).as("raised 15 min after its moment").isTrue();
    assertThat(close.state().rule(AlarmKind.DOOR_OPEN).phase()).isEqualTo(RuleState.Phase.NORMAL);
    assertThat(close.state().lastSampleAt()).as("the readings' order is untouched").isEqualTo(T0 + 29 * MIN);
  }

  // ---- the gateway's contract for backlogs: sort by measurement time, then evaluate ----

  /**
   * Each row: a profile, a script, and the minute the link went down; the readings from then on
   * arrive after the script, newest first, but the gateway sorts them by measurement time before
   * the engine sees them. The rule's alarms are those of the live run, at the same reading times.
   */
  @ParameterizedTest(name = "backlog replay out of arrival order: {0}")
  @CsvSource(delimiter = '|', textBlock = """
      windowed exposure | WINDOWED           | 10 | 4 7*2 4*3 7*2 4*15 7*4 4*15                   | 20  | cumulative_exposure
      stay exposure     | PLASMA_FRACT_PHEUR | 60 | -25 -18*40 restock -18*75 -25                  | 600 | cumulative_exposure
      rate of change    | RATE               | 1  | 4*16 4..6/21 6*30 6..3/16 3*20                 | 10  | rate_of_change
      probe fault       | RBC_STORE_EU       | 1  | 4*5 x*8 4*5 x*3 4 x*7 4                        | 3   | probe_fault
      door open         | RBC_STORE_EU       | 1  | 4 door+ 4*8 door- 4*3 door+ 4*2 door- 4         | 1   | door_open
      agitator stopped  | PLT_STORE          | 1  | 22 agitator+ 22*20 agitator- 22*3              | 1   | agitator_stopped
      transit time      | RBC_TRANSPORT      | 60 | 5*30 restock 5*20                              | 300 | transit_time
      high temperature  | RBC_STORE_EU       | 1  | 4 7*8 5.8 6.1 5.4 4 7*3 4                      | 2   | high_temperature
      """)
  void backlogReplayOutOfArrivalOrder_sortedByMeasurementTime_givesTheLiveAlarms(String rule, String profile,
      long step, String script, long outageFrom, String kind) {
    Scenario scenario = Scenario.of(profile(profile), step, script);
    List<ExcursionEvent> live = only(kind, scenario.live().events());
    Scenario.Run replayed = scenario.withBacklog(outageFrom, RuleKindsTest::newestFirst, true);

    assertThat(live).as("the scenario raises something").isNotEmpty();
    assertThat(Scenario.facts(only(kind, replayed.events()))).as(rule).isEqualTo(Scenario.facts(live));
    assertThat(replayed.outOfOrder()).isZero();

    Scenario.Run unsorted = scenario.withBacklog(outageFrom, RuleKindsTest::newestFirst, false);
    assertThat(unsorted.outOfOrder()).as("unsorted, the engine ignores all but the newest").isPositive();
  }

  private static List<Scenario.Step> newestFirst(List<Scenario.Step> held) {
    List<Scenario.Step> out = new ArrayList<>(held);
    Collections.reverse(out);
    return out;
  }

  private static List<ExcursionEvent> only(String kind, List<ExcursionEvent> events) {
    return events.stream().filter(e -> e.kind().name().toLowerCase(Locale.ROOT).equals(kind)).toList();
  }
}
