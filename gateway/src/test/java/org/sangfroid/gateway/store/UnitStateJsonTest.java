package org.sangfroid.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.core.excursion.RuleState;
import org.sangfroid.core.excursion.UnitState;

class UnitStateJsonTest {
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
