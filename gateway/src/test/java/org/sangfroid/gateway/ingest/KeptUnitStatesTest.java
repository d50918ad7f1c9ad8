package org.sangfroid.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sangfroid.gateway.Fixtures.AGENT;
import static org.sangfroid.gateway.Fixtures.FREEZER;
import static org.sangfroid.gateway.Fixtures.FRIDGE;
import static org.sangfroid.gateway.Fixtures.SITE;
import static org.sangfroid.gateway.Fixtures.T0;
import static org.sangfroid.gateway.Fixtures.batch;
import static org.sangfroid.gateway.Fixtures.reading;
import static org.sangfroid.gateway.Fixtures.readingsTopic;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.core.excursion.RuleState;
import org.sangfroid.core.excursion.UnitState;
import org.sangfroid.core.excursion.UnitStateJson;
import org.sangfroid.core.wire.Reading;
import org.sangfroid.gateway.Fixtures;
import org.sangfroid.gateway.MutableClock;
import org.sangfroid.gateway.alarm.AlarmBook;
import org.sangfroid.gateway.config.Fleet;
import org.sangfroid.gateway.store.AlarmRow;
import org.sangfroid.gateway.store.Crash;
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.store.TestDatabase;
import org.sangfroid.gateway.store.UnitStateRow;

/**
 * The units' engine states kept in memory between saves (GatewayStore#deferUnitStates), and
 * brought back from the stored readings after a crash (Ingest#restoreUnitStates): a crash in the
 * middle of an excursion's delay must neither lose the excursion's start nor raise its alarm twice.
 */
@ParameterizedClass
@EnumSource(TestDatabase.Vendor.class)
class KeptUnitStatesTest {
  /** Longer than any test: the states are saved only when a test says so, or at a clean stop. */
  private static final Duration NOT_BEFORE_THE_TEST_ENDS = Duration.ofDays(1);

  @Parameter TestDatabase.Vendor vendor;
  @TempDir Path dir;

  private final MutableClock clock = new MutableClock(T0);
  private TestDatabase db;
  private Fleet fleet;
  private GatewayStore store;
  private Ingest ingest;
  /** The gateway started again after a crash of the first, on the same database. */
  private GatewayStore restarted;

  @BeforeEach
  void open() {
    db = TestDatabase.create(vendor, dir);
    fleet = Fixtures.config(dir).fleet();
    store = db.open();
    store.deferUnitStates(NOT_BEFORE_THE_TEST_ENDS);
    ingest = ingest(store);
  }

  @AfterEach
  void close() {
    if (restarted != null) {
      restarted.close();
    }
    if (store != null) {
      store.close();
    }
    if (db != null) {
      db.close();
    }
  }

  private Ingest ingest(GatewayStore on) {
    return new Ingest(fleet, on, new AlarmBook(new SimpleMeterRegistry()), new SimpleMeterRegistry(), clock);
  }

  private IngestResult.Stored receive(Ingest into, double minutes, Reading... readings) {
    clock.set(T0.plusMillis((long) (minutes * 60_000)));
    IngestResult result = into.accept(readingsTopic(), batch(readings));
    assertThat(result).isInstanceOf(IngestResult.Stored.class);
    return (IngestResult.Stored) result;
  }

  /** The unit's state and seq as the database holds them, read apart from any gateway. */
  private record Saved(UnitState state, OptionalLong seq) {}

  private Saved saved(String unit) throws SQLException {
    try (Connection c = db.connect();
        PreparedStatement s = c.prepareStatement("SELECT state, seq FROM unit_state WHERE unit = ?")) {
      s.setString(1, unit);
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).as("a saved state of %s", unit).isTrue();
        UnitState state = UnitStateJson.read(rs.getString(1));
        long seq = rs.getLong(2);
        return new Saved(state, rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(seq));
      }
    }
  }

  /** The first gateway is gone without saving (SIGKILL); a second one starts on the database. */
  private Ingest crashAndRestart() {
    Crash.of(store);
    store = null;
    restarted = db.open();
    return ingest(restarted);
  }

  @Test
  void readingsState_staysInMemoryUntilSaved_thenTheDatabaseHasItWithItsSeq() throws SQLException {
    receive(ingest, 0.5, reading(1, 0, FRIDGE, 4.0));
    receive(ingest, 1.5, reading(2, 1, FRIDGE, 4.2));

    UnitState inMemory = store.unitState(FRIDGE).orElseThrow();
    assertThat(inMemory.lastSampleAt()).isEqualTo(T0.plus(Duration.ofMinutes(1)).toEpochMilli());
    Saved before = saved(FRIDGE);
    assertThat(before.state().lastSampleAt()).as("saved when the unit started, before its first reading")
        .isEqualTo(UnitState.NEVER);
    assertThat(before.seq()).hasValue(0);

    store.saveUnitStates();

    Saved after = saved(FRIDGE);
    assertThat(after.state()).isEqualTo(inMemory);
    assertThat(after.seq()).hasValue(2);
  }

  @Test
  void crashMidDelay_restartRebuildsTheState_andTheAlarmIsRaisedOnceFromTheFirstReading() throws SQLException {
    receive(ingest, 0.5, reading(1, 0, FRIDGE, 7.0), reading(2, 0, FREEZER, -30.0));
    receive(ingest, 2.5, reading(3, 2, FRIDGE, 7.4), reading(4, 2, FREEZER, -30.5));
    UnitState fridgeAtCrash = store.unitState(FRIDGE).orElseThrow();
    UnitState freezerAtCrash = store.unitState(FREEZER).orElseThrow();
    assertThat(fridgeAtCrash.rule(AlarmKind.HIGH_TEMPERATURE).phase()).isEqualTo(RuleState.Phase.PENDING);
    assertThat(saved(FRIDGE).state().lastSampleAt()).as("the crash loses the kept state").isEqualTo(UnitState.NEVER);

    Ingest again = crashAndRestart();
    long evaluated = again.restoreUnitStates();

    assertThat(evaluated).isEqualTo(4);
    assertThat(restarted.unitState(FRIDGE)).hasValue(fridgeAtCrash);
    assertThat(restarted.unitState(FREEZER)).hasValue(freezerAtCrash);
    assertThat(saved(FRIDGE)).isEqualTo(new Saved(fridgeAtCrash, OptionalLong.of(4)));
    IngestResult.Stored raised = receive(again, 5.5, reading(5, 5, FRIDGE, 7.1));
    assertThat(raised.alarms()).filteredOn(c -> c.alarm().kind() == AlarmKind.HIGH_TEMPERATURE).singleElement()
        .satisfies(c -> assertThat(c.alarm().startedAt()).as("the excursion's first reading, before the crash")
            .isEqualTo(T0.toEpochMilli()));
    List<AlarmRow> high = restarted.alarms(false, 10).stream().filter(a -> a.kind() == AlarmKind.HIGH_TEMPERATURE)
        .toList();
    assertThat(high).hasSize(1);
  }

  @Test
  void crashAfterAnAlarm_restartDoesNotRaiseItAgain() {
    receive(ingest, 5.5, reading(1, 0, FRIDGE, 7.0), reading(2, 5, FRIDGE, 7.2));
    assertThat(store.alarms(true, 10)).extracting(AlarmRow::kind).contains(AlarmKind.HIGH_TEMPERATURE);

    Ingest again = crashAndRestart();
    again.restoreUnitStates();
    IngestResult.Stored more = receive(again, 6.5, reading(3, 6, FRIDGE, 7.3));

    assertThat(more.alarms()).isEmpty();
    assertThat(restarted.unitState(FRIDGE).orElseThrow().rule(AlarmKind.HIGH_TEMPERATURE).phase())
        .isEqualTo(RuleState.Phase.ALARM);
    assertThat(restarted.alarms(false, 10)).filteredOn(a -> a.kind() == AlarmKind.HIGH_TEMPERATURE).hasSize(1);
  }

  @Test
  void readingsPastAGap_areNotInTheRestoredState() {
    receive(ingest, 0.5, reading(1, 0, FRIDGE, 4.0));
    receive(ingest, 3.5, reading(3, 3, FRIDGE, 4.4)); // seq 2 is missing: stored, not evaluated

    long evaluated = crashAndRestart().restoreUnitStates();

    assertThat(evaluated).isEqualTo(1);
    assertThat(restarted.unitState(FRIDGE).orElseThrow().lastSampleAt()).isEqualTo(T0.toEpochMilli());
  }

  @Test
  void cleanStop_savesTheStates_andTheNextStartHasNothingToEvaluate() {
    receive(ingest, 0.5, reading(1, 0, FRIDGE, 4.0), reading(2, 0, FREEZER, -30.0));
    UnitState fridge = store.unitState(FRIDGE).orElseThrow();
    store.close();
    store = null;

    restarted = db.open();
    assertThat(ingest(restarted).restoreUnitStates()).isZero();
    assertThat(restarted.unitState(FRIDGE)).hasValue(fridge);
  }

  @Test
  void failedTransaction_leavesTheKeptStateAsItWas() {
    receive(ingest, 0.5, reading(1, 0, FRIDGE, 4.0));
    UnitState before = store.unitState(FRIDGE).orElseThrow();

    assertThatThrownBy(() -> store.write(tx -> {
      tx.keepUnitState(FRIDGE, UnitState.start(0), new UnitStateRow.Includes(SITE, AGENT, 99), 0);
      throw new IllegalStateException("the database failed");
    })).hasMessage("the database failed");

    assertThat(store.unitState(FRIDGE)).hasValue(before);
    store.saveUnitStates();
    store.write(tx -> assertThat(tx.unitStateRow(FRIDGE).orElseThrow().includes())
        .hasValue(new UnitStateRow.Includes(SITE, AGENT, 1)));
  }

  @Test
  void stateSavedBeforeSeqsWereRecorded_isTakenAsComplete() throws SQLException {
    receive(ingest, 0.5, reading(1, 0, FRIDGE, 4.0));
    store.close();
    store = null;
    db.execute("UPDATE unit_state SET site = NULL, agent = NULL, seq = NULL"); // as schema V11 left it

    restarted = db.open();
    assertThat(ingest(restarted).restoreUnitStates()).isZero();

    assertThat(saved(FRIDGE).seq()).as("filled in with the agent's watermark").hasValue(1);
  }
}
