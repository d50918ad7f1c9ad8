package org.sangfroid.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sangfroid.gateway.Fixtures.FRIDGE;
import static org.sangfroid.gateway.Fixtures.T0;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.core.excursion.ExcursionEvent;
import org.sangfroid.gateway.Fixtures;
import org.sangfroid.gateway.MutableClock;
import org.sangfroid.gateway.alarm.AlarmBook;
import org.sangfroid.gateway.alarm.AlarmDesk;
import org.sangfroid.gateway.config.GatewayConfig.Unit;
import org.sangfroid.gateway.store.AuditRow;
import org.sangfroid.gateway.store.Database;
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.store.StoreException;
import org.sangfroid.gateway.store.TestDatabase;

/**
 * Issue 4, acceptance point 4: the audit trail is written with each change and verify finds
 * tampering; on SQLite and on PostgreSQL.
 */
@ParameterizedClass
@EnumSource(TestDatabase.Vendor.class)
class AuditTrailTest {
  @Parameter TestDatabase.Vendor vendor;
  @TempDir Path dir;

  private final MutableClock clock = new MutableClock(T0);
  private TestDatabase db;
  private GatewayStore store;
  private AlarmBook book;
  private Unit fridge;

  @BeforeEach
  void open() {
    db = TestDatabase.create(vendor, dir);
    store = db.open();
    book = new AlarmBook(new SimpleMeterRegistry(), clock);
    fridge = Fixtures.config(dir).fleet().unit(FRIDGE).orElseThrow();
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
    if (db != null) {
      db.close(); // null when PostgreSQL was not there (the test was skipped)
    }
  }

  private static long at(int minutes) {
    return T0.plus(Duration.ofMinutes(minutes)).toEpochMilli();
  }

  /** Six entries: config, then two alarms raised and cleared, one acknowledged. */
  private void someHistory() {
    AuditTrail trail = new AuditTrail(clock);
    store.write(tx -> trail.append(tx, AuditTrail.SYSTEM, ConfigRecord.ACTION, "gateway",
        ConfigRecord.details(Fixtures.config(dir))));
    for (int i = 0; i < 2; i++) {
      clock.advance(Duration.ofMinutes(10));
      int m = 10 * i;
      store.write(tx -> book.record(tx, fridge, List.of(
          new ExcursionEvent.Raised(AlarmKind.HIGH_TEMPERATURE, at(m), at(m + 5), 7.0, 6.0, 7.0, false))));
      store.write(tx -> book.record(tx, fridge, List.of(
          new ExcursionEvent.Cleared(AlarmKind.HIGH_TEMPERATURE, at(m + 8), 7.5))));
    }
    new AlarmDesk(store, clock).acknowledge(1, "ana", "door left open");
  }

  private AuditReport verify() {
    AuditVerifier v = new AuditVerifier();
    GatewayStore.scanAuditTrail(db.database(), v::accept);
    return v.report();
  }

  /**
   * Tampers with the database as someone with the file and the sqlite3 tool, or a login to the
   * PostgreSQL database, could, while the gateway is stopped (a running gateway holds the write
   * lock of an SQLite file).
   */
  private void tamper(String... statements) throws Exception {
    store.close();
    db.execute(statements);
    store = db.open();
  }

  @Test
  void append_insideAlarmTransaction_isChainedFromGenesisWithSeqFromOne() {
    someHistory();

    List<AuditRow> rows = store.auditEntries(0, 100);

    assertThat(rows).extracting(AuditRow::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(rows).extracting(AuditRow::action).containsExactly("config.loaded", "alarm.raised", "alarm.cleared",
        "alarm.raised", "alarm.cleared", "alarm.acknowledged");
    assertThat(rows.get(0).prevHash()).isEqualTo(AuditTrail.GENESIS);
    for (int i = 1; i < rows.size(); i++) {
      assertThat(rows.get(i).prevHash()).isEqualTo(rows.get(i - 1).hash());
    }
    assertThat(rows.get(1).details()).isEqualTo("{\"kind\":\"HIGH_TEMPERATURE\",\"late\":false,\"limit\":6.0,"
        + "\"peak\":7.0,\"raisedAt\":" + at(5) + ",\"site\":\"casa-01\",\"startedAt\":" + at(0)
        + ",\"triggerValue\":7.0,\"unit\":\"rbc-fridge-1\"}");
    assertThat(rows.get(1).subject()).isEqualTo("alarm/1");
    assertThat(rows.get(5).actor()).isEqualTo("ana");
    assertThat(store.auditHead()).hasValue(rows.get(5));
  }

  @Test
  void append_transactionRolledBack_leavesNeitherTheAlarmNorItsEntry() {
    assertThatThrownBy(() -> store.write(tx -> {
      book.record(tx, fridge, List.of(
          new ExcursionEvent.Raised(AlarmKind.HIGH_TEMPERATURE, at(0), at(5), 7.0, 6.0, 7.0, false)));
      throw new IllegalStateException("the disk failed");
    })).hasMessage("the disk failed");

    assertThat(store.alarms(false, 10)).isEmpty();
    assertThat(store.auditEntries(0, 10)).isEmpty();
    assertThat(store.alarmHistory(1)).isEmpty();
  }

  @Test
  void hash_ofAnEntry_coversEveryFieldAndIsReproducible() {
    String h = AuditTrail.hash(AuditTrail.GENESIS, 1, 2, "system", "config.loaded", "gateway", "{}");

    assertThat(h).hasSize(64).isEqualTo(AuditTrail.hash(AuditTrail.GENESIS, 1, 2, "system", "config.loaded",
        "gateway", "{}"));
    assertThat(List.of(
        AuditTrail.hash("1" + AuditTrail.GENESIS.substring(1), 1, 2, "system", "config.loaded", "gateway", "{}"),
        AuditTrail.hash(AuditTrail.GENESIS, 2, 2, "system", "config.loaded", "gateway", "{}"),
        AuditTrail.hash(AuditTrail.GENESIS, 1, 3, "system", "config.loaded", "gateway", "{}"),
        AuditTrail.hash(AuditTrail.GENESIS, 1, 2, "ana", "config.loaded", "gateway", "{}"),
        AuditTrail.hash(AuditTrail.GENESIS, 1, 2, "system", "alarm.raised", "gateway", "{}"),
        AuditTrail.hash(AuditTrail.GENESIS, 1, 2, "system", "config.loaded", "alarm/1", "{}"),
        AuditTrail.hash(AuditTrail.GENESIS, 1, 2, "system", "config.loaded", "gateway", "{\"a\":1}")))
        .doesNotContain(h).doesNotHaveDuplicates();
  }

  @Test
  void canonicalJson_mapsInAnyOrder_sortKeysWithoutSpaces() {
    assertThat(AuditTrail.canonicalJson(Map.of("b", 1, "a", Map.of("d", "x", "c", List.of(2.5)))))
        .isEqualTo("{\"a\":{\"c\":[2.5],\"d\":\"x\"},\"b\":1}");
  }

  @Test
  void verify_cleanChain_isOkWithEntriesAndHead() {
    someHistory();

    AuditReport r = verify();

    assertThat(r.ok()).isTrue();
    assertThat(r.entries()).isEqualTo(6);
    assertThat(r.head()).hasValue(new AuditReport.Head(6, store.auditHead().orElseThrow().hash()));
    assertThat(r.lines()).containsExactly("Audit trail OK: 6 entries, head seq 6 hash " + r.head().get().hash());
  }

  @Test
  void verify_emptyTrail_isOk() {
    assertThat(verify().lines()).containsExactly("Audit trail OK: 0 entries (empty)");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      details   | UPDATE audit_trail SET details = replace(details, '7.0', '5.9') WHERE seq = 2
      actor     | UPDATE audit_trail SET actor = 'bob' WHERE seq = 6
      time      | UPDATE audit_trail SET time = time - 3600000 WHERE seq = 3
      action    | UPDATE audit_trail SET action = 'alarm.closed' WHERE seq = 4
      subject   | UPDATE audit_trail SET subject = 'alarm/9' WHERE seq = 5
      """)
  void verify_editedRow_reportsItAsAltered(String column, String sql) throws Exception {
    someHistory();
    long seq = Long.parseLong(sql.substring(sql.lastIndexOf(' ') + 1));

    tamper(sql);

    assertThat(verify().lines()).containsExactly("entry " + seq + ": altered (its hash does not match its content)");
  }

  @Test
  void verify_editedRowReHashed_reportsTheNextEntryAsNotFollowingIt() throws Exception {
    someHistory();
    AuditRow third = store.auditEntries(2, 1).get(0);
    String forged = AuditTrail.hash(third.prevHash(), 3, third.time(), "ana", third.action(), third.subject(),
        third.details());

    tamper("UPDATE audit_trail SET actor = 'ana', hash = '" + forged + "' WHERE seq = 3");

    assertThat(verify().lines()).containsExactly(
        "entry 4: does not follow entry 3 (inserted or reordered, or entry 3 altered and re-hashed)");
  }

  @Test
  void verify_deletedRows_reportsTheMissingRange() throws Exception {
    someHistory();

    tamper("DELETE FROM audit_trail WHERE seq IN (3, 4)", "DELETE FROM audit_trail WHERE seq = 1");

    assertThat(verify().lines()).containsExactly("entry 1: missing (deleted)", "entries 3-4: missing (deleted)");
  }

  @Test
  void verify_insertedRowWithADuplicateSeq_reportsItAndTheBrokenLink() throws Exception {
    someHistory();
    AuditRow second = store.auditEntries(1, 1).get(0);
    String details = "{\"note\":\"forged\"}";
    String hash = AuditTrail.hash(second.hash(), 3, at(1), "system", "alarm.cleared", "alarm/1", details);

    tamper("INSERT INTO audit_trail VALUES (3, " + at(1) + ", 'system', 'alarm.cleared', 'alarm/1', '" + details
        + "', '" + second.hash() + "', '" + hash + "')");

    assertThat(verify().lines()).containsExactly(
        "entry 3: appears more than once (inserted)",
        "entry 4: does not follow entry 3 (inserted or reordered, or entry 3 altered and re-hashed)");
  }

  @Test
  void verify_rowsRenumberedToMakeRoomForAnInsertedOne_reportsWhereTheChainBreaks() throws Exception {
    someHistory();
    AuditRow second = store.auditEntries(1, 1).get(0);
    String details = "{\"note\":\"forged\"}";
    String hash = AuditTrail.hash(second.hash(), 3, at(1), "system", "alarm.cleared", "alarm/1", details);

    tamper("UPDATE audit_trail SET seq = seq + 1 WHERE seq >= 3",
        "INSERT INTO audit_trail VALUES (3, " + at(1) + ", 'system', 'alarm.cleared', 'alarm/1', '" + details
            + "', '" + second.hash() + "', '" + hash + "')");

    // the forged entry itself is consistent; the renumbered ones no longer match their hashes
    assertThat(verify().lines()).startsWith(
        "entry 4: altered (its hash does not match its content)",
        "entry 4: does not follow entry 3 (inserted or reordered, or entry 3 altered and re-hashed)");
  }

  @Test
  void append_afterReopeningTheStore_continuesTheChain() {
    someHistory();
    String head = store.auditHead().orElseThrow().hash();
    store.close();

    store = db.open();
    new AlarmDesk(store, clock).acknowledge(2, "ana", "after the restart");

    AuditRow next = store.auditHead().orElseThrow();
    assertThat(next.seq()).isEqualTo(7);
    assertThat(next.prevHash()).isEqualTo(head);
    assertThat(verify().ok()).isTrue();
  }

  @Test
  void scan_missingDatabase_failsSayingSoWithoutCreatingIt() {
    Database missing = TestDatabase.missing(vendor, dir);

    assertThatThrownBy(() -> GatewayStore.scanAuditTrail(missing, r -> { })).isInstanceOf(StoreException.class)
        .hasMessageStartingWith("database [" + missing.name() + "] ")
        .hasMessageContaining(vendor == TestDatabase.Vendor.SQLITE ? "does not exist." : "does not exist");
    if (vendor == TestDatabase.Vendor.SQLITE) {
      assertThat(missing.file().orElseThrow()).doesNotExist();
    }
  }

  @Test
  void scan_databaseWithoutAuditTrail_failsSayingWhy() throws Exception {
    try (TestDatabase other = TestDatabase.create(vendor, dir.resolve("other"))) {
      other.execute("CREATE TABLE readings (x INTEGER)");

      assertThatThrownBy(() -> GatewayStore.scanAuditTrail(other.database(), r -> { }))
          .hasMessageContaining("has no audit trail");
    }
  }
}
