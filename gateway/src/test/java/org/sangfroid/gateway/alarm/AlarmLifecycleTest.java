package org.sangfroid.gateway.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.gateway.store.Acknowledgement;
import org.sangfroid.gateway.store.AlarmRow;
import org.sangfroid.gateway.store.AlarmState;
import org.sangfroid.gateway.store.Closure;
import org.sangfroid.gateway.store.Disposition;

/** Issue 4: the alarm lifecycle, one row per (condition, workflow, kind, action). */
class AlarmLifecycleTest {
  private static final long ACKED_AT = 1_795_000_000_000L; // 2026-11-18T11:06:40Z

  private static AlarmRow alarm(AlarmKind kind, boolean conditionOn, boolean acknowledged, boolean closed) {
    return new AlarmRow(12, "casa-01", "rbc-fridge-1", kind, 1, 2,
        conditionOn ? OptionalLong.empty() : OptionalLong.of(3), OptionalDouble.of(7.0), OptionalDouble.of(6.0),
        OptionalDouble.of(7.5), false,
        acknowledged ? Optional.of(new Acknowledgement("ana", ACKED_AT, "door left open")) : Optional.empty(),
        closed ? Optional.of(new Closure("ana", ACKED_AT + 1, "door", Disposition.RELEASED)) : Optional.empty());
  }

  @ParameterizedTest(name = "{0} on={1} acked={2} closed={3}: {4}")
  @CsvSource(delimiter = '|', textBlock = """
      # kind             | condition on | acked | closed | state
      HIGH_TEMPERATURE   | true         | false | false  | ACTIVE
      HIGH_TEMPERATURE   | true         | true  | false  | ACKNOWLEDGED
      HIGH_TEMPERATURE   | false        | false | false  | CLEARED
      HIGH_TEMPERATURE   | false        | true  | false  | CLEARED
      HIGH_TEMPERATURE   | false        | true  | true   | CLOSED
      CUMULATIVE_EXPOSURE| true         | true  | true   | CLOSED
      """)
  void state_fromConditionAndWorkflow_isTheOneShownToPeople(AlarmKind kind, boolean on, boolean acked,
      boolean closed, AlarmState state) {
    assertThat(alarm(kind, on, acked, closed).state()).isEqualTo(state);
  }

  @ParameterizedTest(name = "acknowledge {0} on={1} acked={2} closed={3}: [{4}]")
  @CsvSource(delimiter = '|', nullValues = "allowed", textBlock = """
      # kind           | condition on | acked | closed | refusal
      HIGH_TEMPERATURE | true         | false | false  | allowed
      HIGH_TEMPERATURE | false        | false | false  | allowed
      HIGH_TEMPERATURE | true         | true  | false  | alarm 12 was already acknowledged by ana at 2026-11-18T11:06:40Z: it is acknowledged once.
      HIGH_TEMPERATURE | false        | true  | false  | alarm 12 was already acknowledged by ana at 2026-11-18T11:06:40Z: it is acknowledged once.
      HIGH_TEMPERATURE | false        | true  | true   | alarm 12 is closed: it can no longer be acknowledged.
      EPISODE_LIMIT    | true         | true  | true   | alarm 12 is closed: it can no longer be acknowledged.
      """)
  void acknowledge_byStateOfTheAlarm_isAllowedOrRefusedWithWhy(AlarmKind kind, boolean on, boolean acked,
      boolean closed, String refusal) {
    assertThat(AlarmLifecycle.refuseAcknowledge(alarm(kind, on, acked, closed)))
        .isEqualTo(Optional.ofNullable(refusal));
  }

  @ParameterizedTest(name = "close {0} on={1} acked={2} closed={3}: [{4}]")
  @CsvSource(delimiter = '|', nullValues = "allowed", textBlock = """
      # kind              | condition on | acked | closed | refusal
      HIGH_TEMPERATURE    | false        | true  | false  | allowed
      MONITORING_LOST     | false        | true  | false  | allowed
      CUMULATIVE_EXPOSURE | true         | true  | false  | allowed
      EPISODE_LIMIT       | true         | true  | false  | allowed
      HIGH_TEMPERATURE    | true         | true  | false  | alarm 12 is still active: it can be closed once the condition is over.
      EPISODE_DURATION    | true         | true  | false  | alarm 12 is still active: it can be closed once the condition is over.
      HIGH_WARNING        | true         | true  | false  | alarm 12 is still active: it can be closed once the condition is over.
      HIGH_TEMPERATURE    | false        | false | false  | alarm 12 is not acknowledged: acknowledge it (with a comment) before closing it.
      HIGH_TEMPERATURE    | true         | false | false  | alarm 12 is not acknowledged: acknowledge it (with a comment) before closing it.
      CUMULATIVE_EXPOSURE | true         | false | false  | alarm 12 is not acknowledged: acknowledge it (with a comment) before closing it.
      HIGH_TEMPERATURE    | false        | true  | true   | alarm 12 is already closed.
      CUMULATIVE_EXPOSURE | true         | true  | true   | alarm 12 is already closed.
      """)
  void close_byStateAndKindOfTheAlarm_isAllowedOrRefusedWithWhy(AlarmKind kind, boolean on, boolean acked,
      boolean closed, String refusal) {
    assertThat(AlarmLifecycle.refuseClose(alarm(kind, on, acked, closed))).isEqualTo(Optional.ofNullable(refusal));
  }
}
