package org.sangfroid.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sangfroid.core.excursion.AlarmKind;
import java.util.Map;
import org.sangfroid.core.excursion.RuleState;
import org.sangfroid.core.excursion.UnitState;

class GatewayStoreTest {
  @TempDir Path dir;

  static Stream<UnitState> states() {
    return Stream.of(
        UnitState.start(1_795_000_000_000L),
        new UnitState(1L, 2L, 3L, 4.5, Map.of(
            AlarmKind.HIGH_TEMPERATURE, new RuleState(RuleState.Phase.PENDING, 10L, UnitState.NEVER, 7.25, 0, 0,
                UnitState.NEVER, false),
            AlarmKind.LOW_TEMPERATURE, new RuleState(RuleState.Phase.ALARM, 11L, 12L, Double.NEGATIVE_INFINITY, 0, 0,
                UnitState.NEVER, false)),
            UnitState.NEVER),
        new UnitState(1L, UnitState.NEVER, UnitState.NEVER, Double.NaN, Map.of(
            AlarmKind.HIGH_TEMPERATURE, new RuleState(RuleState.Phase.ALARM, 5L, 6L, Double.POSITIVE_INFINITY, 0, 0,
                UnitState.NEVER, false),
            AlarmKind.CUMULATIVE_EXPOSURE, new RuleState(RuleState.Phase.NORMAL, 5L, UnitState.NEVER, -18.0,
                144_000_000L, 0, 7L, true),
            AlarmKind.EPISODE_LIMIT, new RuleState(RuleState.Phase.ALARM, 8L, 8L, -14.0, 0, 2, 9L, true)),
            99L),
        new UnitState(Long.MAX_VALUE, 0L, 0L, -0.0, Map.of(), 0L),
        new UnitState(1L, 50L, 50L, 7.0, Map.of(
            AlarmKind.CUMULATIVE_EXPOSURE, new RuleState(RuleState.Phase.ALARM, 10L, 40L, 7.5, 30L, 0, 50L, true,
                java.util.List.of(new RuleState.Span(10L, 20L), new RuleState.Span(30L, 50L)), java.util.List.of()),
            AlarmKind.RATE_OF_CHANGE, new RuleState(RuleState.Phase.ALARM, 5L, 50L, 7.0, 0, 0, UnitState.NEVER, true,
                java.util.List.of(), java.util.List.of(new RuleState.Point(5L, 4.0), new RuleState.Point(50L, 7.0)))),
            UnitState.NEVER, 3L, 1_800_000_000_000L, UnitState.NEVER));
  }

  @org.junit.jupiter.api.Test
  void unitState_writtenByFoundationVersion1_isStillRead() {
    String v1 = "{\"v\":1,\"watchSince\":1,\"lastSampleAt\":2,\"lastValidAt\":2,\"lastCelsius\":7.0,"
        + "\"high\":{\"phase\":\"PENDING\",\"since\":2,\"raisedAt\":null,\"peak\":7.0},"
        + "\"low\":{\"phase\":\"NORMAL\",\"since\":null,\"raisedAt\":null,\"peak\":\"NaN\"},"
        + "\"monitoringLostSince\":null}";
    assertThat(UnitStateJson.read(v1)).isEqualTo(new UnitState(1L, 2L, 2L, 7.0, Map.of(AlarmKind.HIGH_TEMPERATURE,
        new RuleState(RuleState.Phase.PENDING, 2L, UnitState.NEVER, 7.0, 0, 0, UnitState.NEVER, false)),
        UnitState.NEVER));
  }

  @ParameterizedTest
  @MethodSource("states")
  void unitState_withNaNInfinityAndNever_roundTripsThroughJsonAndTheDatabase(UnitState state) {
    assertThat(UnitStateJson.read(UnitStateJson.write(state))).isEqualTo(state);

    try (GatewayStore store = GatewayStore.open(dir.resolve("gateway.db"))) {
      store.write(tx -> {
        tx.saveUnitState("u1", state, 1);
        return null;
      });
    }
    try (GatewayStore reopened = GatewayStore.open(dir.resolve("gateway.db"))) {
      assertThat(reopened.unitState("u1")).hasValue(state);
    }
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

  @Test
  void open_newFile_usesWalAndMigratesSchema() throws Exception {
    Path file = dir.resolve("sub/gateway.db");
    GatewayStore.open(file).close();

    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        ResultSet mode = c.createStatement().executeQuery("PRAGMA journal_mode");
        ResultSet version = c.createStatement().executeQuery(
            "SELECT MAX(version) FROM flyway_schema_history WHERE success = 1")) {
      assertThat(mode.getString(1)).isEqualTo("wal");
      assertThat(version.getString(1)).isEqualTo("4");
    }
  }

  @Test
  void write_failingWork_keepsNothingOfTheTransaction() {
    try (GatewayStore store = GatewayStore.open(dir.resolve("gateway.db"))) {
      assertThatThrownBy(() -> store.write(tx -> {
        tx.insertAlarm("s", "u", AlarmKind.HIGH_TEMPERATURE, 1, 2, 7, 6, 7, false);
        throw new IllegalStateException("boom");
      })).hasMessage("boom");

      assertThat(store.alarms(false, 10)).isEmpty();
    }
  }

  @Test
  void insertAlarm_secondActiveOfSameUnitAndKind_isRefusedByTheSchema() {
    try (GatewayStore store = GatewayStore.open(dir.resolve("gateway.db"))) {
      store.write(tx -> tx.insertAlarm("s", "u", AlarmKind.HIGH_TEMPERATURE, 1, 2, 7, 6, 7, false));

      assertThatThrownBy(() -> store.write(
          tx -> tx.insertAlarm("s", "u", AlarmKind.HIGH_TEMPERATURE, 3, 4, 7, 6, 7, false)))
          .isInstanceOf(StoreException.class);
      assertThat(store.alarms(true, 10)).hasSize(1);
    }
  }
}
