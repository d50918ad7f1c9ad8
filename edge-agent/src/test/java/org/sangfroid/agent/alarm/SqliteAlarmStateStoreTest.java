package org.sangfroid.agent.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.agent.alarm.AlarmStateStore.Saved;
import org.sangfroid.agent.outbox.Outbox;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.core.excursion.RuleState;
import org.sangfroid.core.excursion.UnitState;

/**
 * The local engine's state in the agent's SQLite file, across an update of the agent: the form
 * itself is core's UnitStateJson (tested there); here, what the store does with each row.
 */
class SqliteAlarmStateStoreTest {
  private static final long T = 1_768_464_000_000L;
  private static final UnitState PENDING_HIGH = new UnitState(T, T + 5, T + 5, 6.5, Map.of(AlarmKind.HIGH_TEMPERATURE,
      new RuleState(RuleState.Phase.PENDING, T, UnitState.NEVER, 6.5, 0, 0, UnitState.NEVER, false)),
      UnitState.NEVER, UnitState.NEVER, UnitState.NEVER, UnitState.NEVER);

  @TempDir Path dataDir;

  private SqliteAlarmStateStore open() {
    Outbox.open(dataDir).close();  // the agent opens the outbox first
    return SqliteAlarmStateStore.open(dataDir);
  }

  private void insert(String unit, String state) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(Outbox.FILE_NAME));
        PreparedStatement s = c.prepareStatement(
            "INSERT INTO local_alarm_state (unit, profile, state) VALUES (?, 'RBC_STORE_EU', ?)")) {
      s.setString(1, unit);
      s.setString(2, state);
      s.executeUpdate();
    }
  }

  @Test
  void saveThenReopen_loadsTheSameState_inTheGatewaysForm() throws SQLException {
    try (SqliteAlarmStateStore store = open()) {
      store.save(Map.of("u1", new Saved("RBC_STORE_EU", PENDING_HIGH)));
    }

    try (SqliteAlarmStateStore store = open()) {
      assertThat(store.load()).containsExactly(Map.entry("u1", new Saved("RBC_STORE_EU", PENDING_HIGH)));
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(Outbox.FILE_NAME));
        ResultSet rs = c.createStatement().executeQuery("SELECT state FROM local_alarm_state")) {
      assertThat(rs.getString(1)).startsWith("{\"v\":3,");
    }
  }

  /** A device updated in the field keeps the state its previous agent saved (the agent's own "v":1). */
  @Test
  void load_stateSavedByAnAgentBeforeTheUpdate_isRead() throws SQLException {
    open().close();
    insert("u1", """
        {"v":1,"watchSince":1768464000000,"lastSampleAt":1768464000005,"lastValidAt":1768464000005,\
        "lastCelsius":6.5,"rules":{"HIGH_TEMPERATURE":{"phase":"PENDING","since":1768464000000,"raisedAt":null,\
        "peak":6.5,"totalMillis":0,"episodes":0,"lastAt":null,"beyondAtLast":false,"spans":[],"points":[]}},\
        "monitoringLostSince":null,"stayStart":null,"calibrationDue":null,"calibrationOverdueSince":null}""");

    try (SqliteAlarmStateStore store = open()) {
      assertThat(store.load()).containsExactly(Map.entry("u1", new Saved("RBC_STORE_EU", PENDING_HIGH)));
    }
  }

  @Test
  void load_damagedRow_thatUnitStartsAfresh_theOthersLoad() throws SQLException {
    try (SqliteAlarmStateStore store = open()) {
      store.save(Map.of("u1", new Saved("RBC_STORE_EU", PENDING_HIGH)));
    }
    insert("u2", "{\"v\":1,\"rules\":{\"HOT\":{}}}");
    insert("u3", "not json");

    try (SqliteAlarmStateStore store = open()) {
      assertThat(store.load()).containsOnlyKeys("u1");
    }
  }
}
