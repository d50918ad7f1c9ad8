package org.sangfroid.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.core.wire.Quality;
import org.sangfroid.core.wire.Reading;
import org.sangfroid.gateway.MutableClock;
import org.sangfroid.gateway.audit.AuditReport;
import org.sangfroid.gateway.audit.AuditTrail;
import org.sangfroid.gateway.audit.AuditVerifier;

/** What only the SQLite file has: WAL, and files written before PostgreSQL support (issue #4). */
class SqliteStoreTest {
  @TempDir Path dir;

  @Test
  void open_newFile_usesWalAndMigratesSchema() throws Exception {
    Path file = dir.resolve("sub/gateway.db");
    GatewayStore.open(file).close();

    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        ResultSet mode = c.createStatement().executeQuery("PRAGMA journal_mode");
        ResultSet version = c.createStatement().executeQuery(
            "SELECT MAX(CAST(version AS INTEGER)) FROM flyway_schema_history WHERE success = 1")) {
      assertThat(mode.getString(1)).isEqualTo("wal");
      assertThat(version.getString(1)).isEqualTo("12");
    }
  }

  /**
   * The writer keeps a fleet's per-unit index pages in a 256 MiB cache and copies the log into
   * the database file itself only past 100,000 pages (the checkpoint thread does it every
   * second), not SQLite's 2 MiB and 1,000 (the fleet bench's speed, docs/performance.md); the log
   * file is cut back to 64 MiB after a checkpoint.
   */
  @Test
  void writerConnection_hasTheLargerCacheAndCheckpointInterval() throws Exception {
    Path file = dir.resolve("gateway.db");
    GatewayStore.open(file).close();

    try (Connection c = Dialect.SQLITE.connect(Database.sqlite(file), Dialect.Use.WRITE);
        ResultSet cache = c.createStatement().executeQuery("PRAGMA cache_size");
        ResultSet checkpoint = c.createStatement().executeQuery("PRAGMA wal_autocheckpoint");
        ResultSet limit = c.createStatement().executeQuery("PRAGMA journal_size_limit")) {
      assertThat(cache.getInt(1)).isEqualTo(-256 * 1024);
      assertThat(checkpoint.getInt(1)).isEqualTo(100_000);
      assertThat(limit.getLong(1)).isEqualTo(64L * 1024 * 1024);
    }
  }

  /** The log is copied into the database file beside the writer, which stays below its own threshold. */
  @Test
  void checkpointThread_copiesTheLogIntoTheFile_withoutTheWriter() throws Exception {
    Path file = dir.resolve("gateway.db");
    GatewayStore.open(file).close();
    long before = Files.size(file);
    List<Reading> readings = new ArrayList<>();
    for (int i = 1; i <= 3000; i++) {
      readings.add(new Reading(i, i * 60_000L, "u" + (i % 50), "p", 4.0, Quality.OK, true));
    }

    try (GatewayStore store = GatewayStore.open(file)) {
      store.write(tx -> tx.insertReadings("s", "a", readings, 1));

      assertThat(Files.size(file.resolveSibling("gateway.db-wal"))).as("the readings went to the log").isPositive();
      await().atMost(Duration.ofSeconds(10)).until(() -> Files.size(file) > before);
    }
  }

  /** A year of one unit on a chart reads the index alone, never the table row by row. */
  @Test
  void chartQuery_readsTheUnitIndexAlone() throws Exception {
    Path file = dir.resolve("gateway.db");
    GatewayStore.open(file).close();

    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        ResultSet plan = c.createStatement().executeQuery("EXPLAIN QUERY PLAN SELECT (t - 0) / 60000 AS bucket,"
            + " MIN(value), MAX(value), AVG(value), COUNT(value) FROM readings WHERE unit = 'u' AND t >= 0"
            + " AND t <= 1 AND value IS NOT NULL GROUP BY bucket ORDER BY bucket")) {
      StringBuilder detail = new StringBuilder();
      while (plan.next()) {
        detail.append(plan.getString("detail")).append('\n');
      }
      assertThat(detail.toString()).contains("USING COVERING INDEX readings_unit_t_value");
    }
  }

  /**
   * src/test/resources/db/gateway-v3.db was written by the gateway before the migrations moved to
   * db/migration/sqlite: Flyway validates the checksums it recorded then, so this fails if the
   * content of V1..V3 changed.
   */
  @Test
  void open_version3FileOfTheGatewayBeforePostgres_keepsEverythingAndGoesOn() throws Exception {
    Path file = dir.resolve("gateway.db");
    try (InputStream fixture = getClass().getResourceAsStream("/db/gateway-v3.db")) {
      Files.copy(fixture, file);
    }
    List<Object> historyBefore = history(file);

    try (GatewayStore store = GatewayStore.open(file)) {
      assertThat(store.readingCount("casa-01", "agent-01")).isEqualTo(40);
      assertThat(store.agent("casa-01", "agent-01").orElseThrow().ackedSeq()).isEqualTo(40);
      assertThat(store.alarms(false, 10)).extracting(AlarmRow::id, AlarmRow::kind, a -> a.acknowledged().isPresent())
          .containsExactly(tuple(2L, AlarmKind.HIGH_WARNING, false), tuple(1L, AlarmKind.HIGH_TEMPERATURE, true));
      assertThat(store.unitState("rbc-fridge-1")).isPresent();
      String head = store.auditHead().orElseThrow().hash();

      AuditRow next = store.write(tx -> {
        tx.insertAlarm("casa-01", "ffp-freezer-1", AlarmKind.HIGH_TEMPERATURE, 1, 2, -20, -25, -20, false);
        return new AuditTrail(new MutableClock(java.time.Instant.EPOCH))
            .append(tx, AuditTrail.SYSTEM, "test", "gateway", Map.of());
      });

      assertThat(store.alarms(false, 1).get(0).id()).isEqualTo(3);
      assertThat(next.seq()).isEqualTo(5);
      assertThat(next.prevHash()).isEqualTo(head);
    }
    AuditVerifier verifier = new AuditVerifier();
    GatewayStore.scanAuditTrail(file, verifier::accept);
    assertThat(verifier.report().ok()).isTrue();
    assertThat(verifier.report().head().map(AuditReport.Head::seq)).hasValue(5L);
    assertThat(historyBefore).hasSize(3);
    assertThat(history(file).subList(0, 3)).as("nothing re-applied or re-recorded").isEqualTo(historyBefore);
    assertThat(history(file)).as("the later versions (V4 to V9, V11, V12) applied on top").hasSize(11);
  }

  private static List<Object> history(Path file) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); ResultSet rs = c.createStatement()
        .executeQuery("SELECT version, script, checksum FROM flyway_schema_history ORDER BY installed_rank")) {
      List<Object> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(List.of(rs.getString(1), rs.getString(2), rs.getInt(3)));
      }
      return rows;
    }
  }
}
