package org.sangfroid.core.excursion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sangfroid.core.excursion.UnitState.NEVER;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sangfroid.core.check.InvalidValueException;
import org.sangfroid.core.excursion.RuleState.Phase;

/** A unit's state as a value: its rules read-only and its own, equal by content (issue #6 shares them). */
class UnitStateTest {
  private static final long MIN = 60_000;
  private static final long T0 = 1_763_900_000_000L;
  private static final Profile RBC = Profiles.byId("RBC_STORE_EU").orElseThrow();
  private static final RuleState PENDING = new RuleState(Phase.PENDING, T0, NEVER, 7.0, 0, 0, NEVER, false);

  private static UnitState state(Map<AlarmKind, RuleState> rules) {
    return new UnitState(T0, T0 + MIN, T0 + MIN, 4.0, rules, NEVER, T0, T0 + 90 * MIN, NEVER);
  }

  @Test
  void rules_handedIn_areCopied() {
    Map<AlarmKind, RuleState> mine = new HashMap<>(Map.of(AlarmKind.HIGH_TEMPERATURE, PENDING));
    UnitState s = state(mine);

    mine.clear();

    assertThat(s.rules()).containsExactly(Map.entry(AlarmKind.HIGH_TEMPERATURE, PENDING));
  }

  @Test
  void rules_afterReadings_stayReadOnly() {
    UnitState s = UnitState.start(T0);
    // Rules change, then none (the same reading again), then the peak.
    for (Sample reading : new Sample[] {Sample.of(T0, 7), Sample.of(T0, 7), Sample.of(T0 + MIN, 7.5)}) {
      s = ExcursionEngine.onSample(RBC, s, reading, reading.time()).state();
      Map<AlarmKind, RuleState> rules = s.rules();
      assertThat(rules).isNotEmpty();

      assertThatThrownBy(() -> rules.put(AlarmKind.LOW_TEMPERATURE, PENDING))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> rules.remove(AlarmKind.HIGH_TEMPERATURE))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(rules::clear).isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> rules.values().clear()).isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> {
        var it = rules.keySet().iterator();
        it.next();
        it.remove();
      }).isInstanceOf(UnsupportedOperationException.class);
      rules.entrySet().forEach(e -> assertThatThrownBy(() -> e.setValue(RuleState.NORMAL))
          .isInstanceOf(UnsupportedOperationException.class));
    }
  }

  @Test
  void rules_keepAlarmKindOrder_whateverTheMapHandedIn() {
    Map<AlarmKind, RuleState> mine = new HashMap<>();
    for (AlarmKind k : AlarmKind.values()) {
      mine.put(k, PENDING);
    }

    assertThat(state(mine).rules().keySet()).containsExactly(AlarmKind.values());
  }

  @Test
  void rules_withoutAState_areRefused() {
    Map<AlarmKind, RuleState> mine = new HashMap<>();
    mine.put(AlarmKind.HIGH_WARNING, null);

    assertThatThrownBy(() -> state(mine)).isInstanceOf(InvalidValueException.class)
        .hasMessage("rules.HIGH_WARNING must be given.");
  }

  @Test
  void readingThatChangesNoRule_sharesTheRulesOfTheStateBefore() {
    UnitState s = ExcursionEngine.onSample(RBC, UnitState.start(T0), Sample.of(T0, 7.0), T0).state();

    UnitState next = ExcursionEngine.onSample(RBC, s, Sample.of(T0, 7.0), T0).state(); // same time: still pending

    assertThat(next.rules()).isSameAs(s.rules());
    assertThat(next).isEqualTo(s).hasSameHashCodeAs(s);
  }

  @Test
  void tickThatRaisesNothing_leavesTheStateAsItWas() {
    UnitState s = ExcursionEngine.onSample(RBC, UnitState.start(T0), Sample.of(T0, 7.0), T0).state();

    ExcursionEngine.Outcome tick = ExcursionEngine.onTick(RBC, s, T0 + MIN);

    assertThat(tick.events()).isEmpty();
    assertThat(tick.state()).isSameAs(s);
  }

  @Test
  void equalStates_areEqual_whateverMapTheirRulesCameIn() {
    Map<AlarmKind, RuleState> hash = new HashMap<>(Map.of(AlarmKind.HIGH_TEMPERATURE, PENDING));
    Map<AlarmKind, RuleState> enums = new EnumMap<>(hash);
    UnitState a = state(hash);
    UnitState b = state(enums);

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isEqualTo(a).isNotEqualTo(null).isNotEqualTo(a.rules());
    assertThat(b).isEqualTo(a);
    assertThat(a.rules()).isEqualTo(enums).hasSameHashCodeAs(enums);
    assertThat(UnitStateJson.read(UnitStateJson.write(a))).isEqualTo(a);
  }

  static Stream<Arguments> oneComponentChanged() {
    UnitState s = state(Map.of(AlarmKind.HIGH_TEMPERATURE, PENDING));
    return Stream.<Map.Entry<String, UnaryOperator<UnitState>>>of(
        Map.entry("watchSince", u -> new UnitState(u.watchSince() + 1, u.lastSampleAt(), u.lastValidAt(),
            u.lastCelsius(), u.rules(), u.monitoringLostSince(), u.stayStart(), u.calibrationDue(),
            u.calibrationOverdueSince())),
        Map.entry("lastSampleAt", u -> u.afterSample(u.lastSampleAt() + 1, false, Double.NaN, u.rules())),
        Map.entry("lastValidAt", u -> new UnitState(u.watchSince(), u.lastSampleAt(), u.lastValidAt() - 1,
            u.lastCelsius(), u.rules(), u.monitoringLostSince(), u.stayStart(), u.calibrationDue(),
            u.calibrationOverdueSince())),
        Map.entry("lastCelsius", u -> u.afterSample(u.lastSampleAt(), true, 4.1, u.rules())),
        Map.entry("lastCelsius NaN", u -> u.afterSample(u.lastSampleAt(), true, Double.NaN, u.rules())),
        Map.entry("rules", u -> u.withRules(Map.of(AlarmKind.HIGH_TEMPERATURE, PENDING.with(Phase.ALARM,
            T0, T0 + 5 * MIN, 7.0)))),
        Map.entry("no rules", u -> u.withRules(Map.of())),
        Map.entry("monitoringLostSince", u -> u.withMonitoringLostSince(T0)),
        Map.entry("stayStart", u -> u.withStayStart(NEVER)),
        Map.entry("calibrationDue", u -> u.withCalibration(NEVER, NEVER)),
        Map.entry("calibrationOverdueSince", u -> u.withCalibration(u.calibrationDue(), T0)))
        .map(e -> Arguments.of(e.getKey(), s, e.getValue().apply(s)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oneComponentChanged")
  void states_differingInOneComponent_areNotEqual(String component, UnitState s, UnitState other) {
    assertThat(other).isNotEqualTo(s);
    assertThat(s).isNotEqualTo(other);
  }

  @Test
  void temperatures_compareAsDoubleDoes() {
    UnitState zero = state(Map.of()).afterSample(T0 + MIN, true, 0.0, Map.of());

    assertThat(UnitState.start(T0)).isEqualTo(UnitState.start(T0)).hasSameHashCodeAs(UnitState.start(T0)); // NaN
    assertThat(zero).isEqualTo(state(Map.of()).afterSample(T0 + MIN, true, 0.0, Map.of()))
        .isNotEqualTo(state(Map.of()).afterSample(T0 + MIN, true, -0.0, Map.of()));
  }
}
