package org.sangfroid.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.sangfroid.core.excursion.AlarmKind;

/** Issue 4: a database written by schema version 1 keeps its alarms, with a history, after V2. */
@ParameterizedClass
@EnumSource(TestDatabase.Vendor.class)
class AlarmMigrationTest {
  @Parameter TestDatabase.Vendor vendor;
  @TempDir Path dir;

  private TestDatabase db;

  @BeforeEach
  void create() {
    db = TestDatabase.create(vendor, dir);
  }

  @AfterEach
  void drop() {
    if (db != null) {
      db.close(); // null when PostgreSQL was not there (the test was skipped)
    }
  }

  @Test
  void open_version1DatabaseWithAlarms_keepsThemWithTheirStateAndHistory() throws Exception {
    db.migrateTo("1");
    db.execute("INSERT INTO alarms (site, unit, kind, state, started_at, raised_at, cleared_at, trigger_value,"
        + " limit_value, peak, late) VALUES ('s', 'u', 'HIGH_TEMPERATURE', 'CLEARED', 1, 2, 3, 7.0, 6.0, 7.5, 0),"
        + " ('s', 'u', 'HIGH_TEMPERATURE', 'ACTIVE', 4, 5, NULL, 7.1, 6.0, 7.1, 1)");

    try (GatewayStore store = db.open()) {
      assertThat(store.alarms(false, 10)).extracting(AlarmRow::id, AlarmRow::state).containsExactly(
          tuple(2L, AlarmState.ACTIVE), tuple(1L, AlarmState.CLEARED));
      assertThat(store.alarmHistory(1)).extracting(AlarmHistoryRow::event, AlarmHistoryRow::at).containsExactly(
          tuple("raised", 2L), tuple("cleared", 3L));
      AlarmRow next = store.write(tx -> tx.insertAlarm("s", "u", AlarmKind.LOW_TEMPERATURE, 6, 7, 1.0, 2.0, 1.0,
          false));
      assertThat(next.id()).as("ids go on after the migrated table's").isEqualTo(3);
    }
  }
}
