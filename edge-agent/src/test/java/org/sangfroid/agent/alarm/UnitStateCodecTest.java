package org.sangfroid.agent.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.core.excursion.RuleState;
import org.sangfroid.core.excursion.RuleState.Phase;
import org.sangfroid.core.excursion.UnitState;

/** The local engine's state as the agent stores it. */
class UnitStateCodecTest {
  private static final long T = 1_768_464_000_000L;
  private static final long NEVER = UnitState.NEVER;

  static Stream<UnitState> states() {
    Map<AlarmKind, RuleState> rules = new EnumMap<>(AlarmKind.class);
    rules.put(AlarmKind.HIGH_TEMPERATURE, new RuleState(Phase.PENDING, T, NEVER, 6.5, 0, 0, NEVER, false));
    rules.put(AlarmKind.CUMULATIVE_EXPOSURE, new RuleState(Phase.ALARM, T, T + 60_000, Double.POSITIVE_INFINITY,
        3_600_000, 2, T + 120_000, true, List.of(new RuleState.Span(T, T + 60_000)), List.of()));
    rules.put(AlarmKind.RATE_OF_CHANGE, new RuleState(Phase.NORMAL, NEVER, NEVER, Double.NaN, 0, 0, NEVER, true,
        List.of(), List.of(new RuleState.Point(T, -25.25), new RuleState.Point(T + 1, Double.NEGATIVE_INFINITY))));
    rules.put(AlarmKind.DOOR_OPEN, new RuleState(Phase.PENDING, T, NEVER, Double.NaN, 0, 0, T, true));
    return Stream.of(
        UnitState.start(T),
        new UnitState(T, T + 5, T + 4, -26.0, rules, T + 2, T - 1, T + 86_400_000, NEVER),
        new UnitState(T, NEVER, NEVER, Double.NaN, Map.of(), NEVER, NEVER, T, T + 1));
  }

  @ParameterizedTest
  @MethodSource("states")
  void writeThenRead_givesTheSameState(UnitState state) {
    assertThat(UnitStateCodec.read(UnitStateCodec.write(state))).isEqualTo(state);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      not json                                     | not JSON
      {"v":2,"rules":{}}                           | not a version 1 unit state
      {"v":1}                                      | rules missing
      {"v":1,"rules":{},"watchSince":"x"}          | watchSince is not a whole number
      {"v":1,"rules":{"HOT":{}}}                   | HOT
      """)
  void read_damaged_saysWhat(String json, String problem) {
    assertThatThrownBy(() -> UnitStateCodec.read(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(problem);
  }
}
