package org.sangfroid.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.core.excursion.RuleState;
import org.sangfroid.core.excursion.UnitState;
import org.sangfroid.core.excursion.UnitStateJson;
import org.sangfroid.core.wire.AgentStatus;
import org.sangfroid.core.wire.Quality;
import org.sangfroid.core.wire.Reading;
import org.sangfroid.gateway.MutableClock;
import org.sangfroid.gateway.audit.AuditReport;
import org.sangfroid.gateway.audit.AuditTrail;
import org.sangfroid.gateway.audit.AuditVerifier;

/** The store's operations, the same on SQLite and PostgreSQL (issue #4, "Storage"). */
@ParameterizedClass
@EnumSource(TestDatabase.Vendor.class)
class GatewayStoreTest {
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
                List.of(new RuleState.Span(10L, 20L), new RuleState.Span(30L, 50L)), List.of()),
            AlarmKind.RATE_OF_CHANGE, new RuleState(RuleState.Phase.ALARM, 5L, 50L, 7.0, 0, 0, UnitState.NEVER, true,
                List.of(), List.of(new RuleState.Point(5L, 4.0), new RuleState.Point(50L, 7.0)))),
            UnitState.NEVER, 3L, 1_800_000_000_000L, UnitState.NEVER));
  }

  @ParameterizedTest
  @MethodSource("states")
  void unitState_withNaNInfinityAndNever_roundTripsThroughJsonAndTheDatabase(UnitState state) {
    assertThat(UnitStateJson.read(UnitStateJson.write(state))).isEqualTo(state);

    try (GatewayStore store = db.open()) {
      store.write(tx -> {
        tx.saveUnitState("u1", state, new UnitStateRow.Includes("s1", "a1", 0), 1);
        return null;
      });
    }
    try (GatewayStore reopened = db.open()) {
      assertThat(reopened.unitState("u1")).hasValue(state);
    }
  }

  /** A damaged saved state stops the engine's transaction as any damaged row does, naming the problem. */
  @Test
  void unitState_damagedInTheDatabase_failsWithStoreException() throws Exception {
    db.open().close();
    db.execute("INSERT INTO unit_state (unit, state, updated_at) VALUES ('u1', '{\"v\":3,\"rules\":[]}', 1)");

    try (GatewayStore store = db.open()) {
      assertThatThrownBy(() -> store.unitState("u1")).isInstanceOf(StoreException.class)
          .hasMessageContaining("stored unit state cannot be read").hasRootCauseMessage("rules missing");
      assertThatThrownBy(() -> store.write(tx -> tx.unitState("u1"))).isInstanceOf(StoreException.class)
          .hasMessageContaining("stored unit state cannot be read").hasRootCauseMessage("rules missing");
    }
  }

  @Test
  void open_newDatabase_migratesToTheLatestSchemaVersion() throws Exception {
    db.open().close();

    try (Connection c = db.connect(); ResultSet version = c.createStatement().executeQuery(
        "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank")) {
      List<String> versions = new ArrayList<>();
      while (version.next()) {
        versions.add(version.getString(1));
      }
      assertThat(versions).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "11", "12");
    }
  }

  @Test
  void write_failingWork_keepsNothingOfTheTransaction() {
    try (GatewayStore store = db.open()) {
      assertThatThrownBy(() -> store.write(tx -> {
        tx.insertAlarm("s", "u", AlarmKind.HIGH_TEMPERATURE, 1, 2, 7, 6, 7, false);
        throw new IllegalStateException("boom");
      })).hasMessage("boom");

      assertThat(store.alarms(false, 10)).isEmpty();
    }
  }

  @Test
  void insertAlarm_secondActiveOfSameUnitAndKind_isRefusedByTheSchema() {
    try (GatewayStore store = db.open()) {
      long first = store.write(tx -> tx.insertAlarm("s", "u", AlarmKind.HIGH_TEMPERATURE, 1, 2, 7, 6, 7, false)).id();

      assertThatThrownBy(() -> store.write(
          tx -> tx.insertAlarm("s", "u", AlarmKind.HIGH_TEMPERATURE, 3, 4, 7, 6, 7, false)))
          .isInstanceOf(StoreException.class);
      assertThat(store.alarms(true, 10)).hasSize(1);
      // PostgreSQL's identity does not give back the refused insert's id: ids may skip one
      long next = store.write(tx -> tx.insertAlarm("s", "u", AlarmKind.LOW_TEMPERATURE, 3, 4, 1, 2, 1, false)).id();
      assertThat(next).as("the refused transaction left the store usable").isGreaterThan(first);
      assertThat(store.alarms(true, 10)).hasSize(2);
    }
  }

  @Test
  void insertReading_sameSeqAgain_isADuplicateAndKeepsTheFirst() {
    Reading first = new Reading(1, 1_000, "u", "p", 4.0, Quality.OK, true);
    Reading again = new Reading(1, 2_000, "u", "p", 9.0, Quality.OK, false);
    Reading fault = new Reading(2, 3_000, "u", "p", Double.NaN, Quality.DISCONNECTED, true);
    try (GatewayStore store = db.open()) {
      List<Boolean> inserted = store.write(tx -> List.of(tx.insertReading("s", "a", first, 10),
          tx.insertReading("s", "a", again, 11), tx.insertReading("s", "a", fault, 12)));

      assertThat(inserted).containsExactly(true, false, true);
      List<Reading> stored = store.write(tx -> tx.readings("s", "a", 0, 10));
      assertThat(stored).containsExactly(first, fault);
      assertThat(store.readingCount("s", "a")).isEqualTo(2);
      long watermark = store.write(tx -> tx.advanceWatermark("s", "a"));
      assertThat(watermark).isEqualTo(2);
    }
  }

  @Test
  void insertReadings_someStoredBefore_returnsOnlyTheNewInOrderAndKeepsTheFirst() {
    try (GatewayStore store = db.open()) {
      Reading two = new Reading(2, 2_000, "u", "p", 4.0, Quality.OK, true);
      store.write(tx -> tx.insertReadings("s", "a", List.of(two), 10));
      List<Reading> batch = new ArrayList<>();
      for (long seq = 1; seq <= 5; seq++) {
        batch.add(new Reading(seq, seq * 1_000, "u", "p", 9.0, Quality.OK, true));
      }

      List<Reading> fresh = store.write(tx -> tx.insertReadings("s", "a", batch, 11));

      assertThat(fresh).extracting(Reading::seq).containsExactly(1L, 3L, 4L, 5L);
      List<Reading> all = store.write(tx -> tx.readings("s", "a", 0, 10));
      assertThat(all).hasSize(5).contains(two);
    }
  }

  @Test
  void insertReadings_overlappingBatchesInOneTransaction_secondSeesTheFirstsAsDuplicates() {
    try (GatewayStore store = db.open()) {
      List<Reading> first = List.of(new Reading(1, 1_000, "u", "p", 4.0, Quality.OK, true),
          new Reading(2, 2_000, "u", "p", 4.0, Quality.OK, true));
      List<Reading> second = List.of(new Reading(2, 2_000, "u", "p", 4.0, Quality.OK, true),
          new Reading(3, 3_000, "u", "p", Double.NaN, Quality.CRC_ERROR, true));

      List<List<Reading>> fresh = store.write(tx -> List.of(tx.insertReadings("s", "a", first, 10),
          tx.insertReadings("s", "a", second, 10), tx.insertReadings("s", "other", second, 10)));

      assertThat(fresh.get(0)).hasSize(2);
      assertThat(fresh.get(1)).extracting(Reading::seq).containsExactly(3L);
      assertThat(fresh.get(2)).as("another agent's seqs are its own").hasSize(2);
      assertThat(store.readingCount("s", "a")).isEqualTo(3);
    }
  }

  @Test
  void insertReadings_seqsNotIncreasing_throwsAndStoresNothing() {
    try (GatewayStore store = db.open()) {
      List<Reading> bad = List.of(new Reading(2, 1_000, "u", "p", 4.0, Quality.OK, true),
          new Reading(2, 2_000, "u", "p", 4.0, Quality.OK, true));

      assertThatThrownBy(() -> store.write(tx -> tx.insertReadings("s", "a", bad, 10)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("increasing seq");
      assertThat(store.readingCount("s", "a")).isZero();
    }
  }

  @Test
  void insertReadings_afterABatchTheDatabaseRefused_theStatementCarriesNothingOver() {
    try (GatewayStore store = db.open()) {
      List<Reading> batch = List.of(new Reading(1, 1_000, "u", "p", 4.0, Quality.OK, true),
          new Reading(2, 2_000, "u", "p", 4.0, Quality.OK, true));
      assertThatThrownBy(() -> store.write(tx -> {
        tx.insertReadings("s", "a", batch, 10);
        throw new IllegalStateException("injected after the insert");
      })).hasMessageContaining("injected");

      List<Reading> fresh = store.write(tx -> tx.insertReadings("s", "b", List.of(batch.get(0)), 11));

      assertThat(fresh).hasSize(1);
      assertThat(store.readingCount("s", "a")).as("rolled back").isZero();
      assertThat(store.readingCount("s", "b")).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @MethodSource("watermarkHints")
  void advanceWatermark_withAHint_endsWhereItEndsWithout(long hint) {
    try (GatewayStore store = db.open()) {
      // stored: 1..6 and 8..9 (7 missing)
      List<Reading> stored = new ArrayList<>();
      for (long seq : new long[] {1, 2, 3, 4, 5, 6, 8, 9}) {
        stored.add(new Reading(seq, seq * 1_000, "u", "p", 4.0, Quality.OK, true));
      }
      store.write(tx -> tx.insertReadings("s", "a", stored, 10));

      long stoppedAtTheHole = store.write(tx -> tx.advanceWatermark("s", "a", hint));
      assertThat(stoppedAtTheHole).isEqualTo(6);
      store.write(tx -> tx.insertReadings("s", "a", List.of(new Reading(7, 7_000, "u", "p", 4.0, Quality.OK, true)),
          11));
      long filled = store.write(tx -> tx.advanceWatermark("s", "a", hint));
      assertThat(filled).isEqualTo(9);
    }
  }

  static Stream<Long> watermarkHints() {
    return Stream.of(0L, 3L, 6L, 7L, 9L, 12L);
  }

  @Test
  void agentStatus_withAndWithoutOutboxHealth_isStoredAndCleared() {
    try (GatewayStore store = db.open()) {
      store.write(tx -> {
        tx.agentStatus("s", "a", new AgentStatus(true, "1.2", 5, 7, OptionalLong.of(4), OptionalLong.of(2)), 10);
        tx.agentOutboxHealth("s", "a", new AgentStatus(true, "1.2", 5, 7, OptionalLong.of(4), OptionalLong.of(2)));
        return null;
      });
      assertThat(store.agentOutboxHealth()).containsExactly(
          new AgentRow.OutboxHealth("s", "a", OptionalLong.of(4), OptionalLong.of(2)));

      store.write(tx -> {
        tx.agentOutboxHealth("s", "a", new AgentStatus(true, "1.3", 6, 0));
        tx.agentStatus("s", "a", AgentStatus.lastWill(), 20);
        return null;
      });

      assertThat(store.agentOutboxHealth()).containsExactly(
          new AgentRow.OutboxHealth("s", "a", OptionalLong.empty(), OptionalLong.empty()));
      assertThat(store.agent("s", "a")).hasValue(
          new AgentRow("s", "a", 0, OptionalLong.of(20), false, Optional.of("1.2"), OptionalLong.of(7)));
    }
  }

  /**
   * The audit trail's hashes come from the text the store gives back, so every database must
   * give back exactly what it was given: the same entries make the same head on both.
   */
  @Test
  void auditTrail_sameEntries_giveTheSameHashesOnEveryDatabase() {
    MutableClock clock = new MutableClock(java.time.Instant.parse("2026-11-23T10:00:00Z"));
    AuditTrail trail = new AuditTrail(clock);
    try (GatewayStore store = db.open()) {
      store.write(tx -> trail.append(tx, AuditTrail.SYSTEM, "config.loaded", "gateway", Map.of("sha256", "ab")));
      clock.advance(Duration.ofMillis(1));
      store.write(tx -> trail.append(tx, "Aïcha Benali", "alarm.acknowledged", "alarm/1",
          Map.of("comment", "Porte restée ouverte — 8,5 °C; 冷藏 ✓ 🩸", "peak", 8.5, "late", false)));
    }

    AuditVerifier verifier = new AuditVerifier();
    GatewayStore.scanAuditTrail(db.database(), verifier::accept);
    AuditReport report = verifier.report();

    assertThat(report.ok()).isTrue();
    assertThat(report.head()).hasValue(new AuditReport.Head(2,
        "f14e5f81a0a09141aa838bc744f76719f2ce5cd3f450d36b02e5eaf5c52a5464"));
    try (GatewayStore store = db.open()) {
      assertThat(store.auditEntries(1, 1).get(0).details())
          .isEqualTo("{\"comment\":\"Porte restée ouverte — 8,5 °C; 冷藏 ✓ 🩸\",\"late\":false,\"peak\":8.5}");
      assertThat(store.auditEntries(1, 1).get(0).actor()).isEqualTo("Aïcha Benali");
    }
  }
}
