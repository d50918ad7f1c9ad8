package org.sangfroid.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 4: a database written by schema version 1 keeps its alarms, with a history, after V2. */
class AlarmMigrationTest {
  @TempDir Path dir;

  @Test
  void open_version1DatabaseWithAlarms_keepsThemWithTheirStateAndHistory() throws Exception {
    Path file = dir.resolve("gateway.db");
    String url = "jdbc:sqlite:" + file;
    Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").target("1").load().migrate();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO alarms (site, unit, kind, state, started_at, raised_at, cleared_at, trigger_value,"
          + " limit_value, peak, late) VALUES ('s', 'u', 'HIGH_TEMPERATURE', 'CLEARED', 1, 2, 3, 7.0, 6.0, 7.5, 0),"
          + " ('s', 'u', 'HIGH_TEMPERATURE', 'ACTIVE', 4, 5, NULL, 7.1, 6.0, 7.1, 1)");
    }

    try (GatewayStore store = GatewayStore.open(file)) {
      assertThat(store.alarms(false, 10)).extracting(AlarmRow::id, AlarmRow::state).containsExactly(
          org.assertj.core.groups.Tuple.tuple(2L, AlarmState.ACTIVE),
          org.assertj.core.groups.Tuple.tuple(1L, AlarmState.CLEARED));
      assertThat(store.alarmHistory(1)).extracting(AlarmHistoryRow::event, AlarmHistoryRow::at).containsExactly(
          org.assertj.core.groups.Tuple.tuple("raised", 2L), org.assertj.core.groups.Tuple.tuple("cleared", 3L));
      AlarmRow next = store.write(tx -> tx.insertAlarm("s", "u", org.sangfroid.core.excursion.AlarmKind.LOW_TEMPERATURE,
          6, 7, 1.0, 2.0, 1.0, false));
      assertThat(next.id()).as("ids go on after the rebuilt table's").isEqualTo(3);
    }
  }
}
