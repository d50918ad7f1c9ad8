package org.sangfroid.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.core.wire.Quality;
import org.sangfroid.core.wire.Reading;
import org.sangfroid.gateway.MutableClock;
import org.sangfroid.gateway.audit.AuditTrail;
import org.sangfroid.gateway.audit.AuditVerifier;

/** What only a database server brings: other gateways on it, dropped connections, logins (issue #4). */
class PostgresStoreTest {
  @TempDir Path dir;

  private TestDatabase db;

  @BeforeEach
  void create() {
    db = TestDatabase.create(TestDatabase.Vendor.POSTGRESQL, dir);
  }

  @AfterEach
  void drop() {
    if (db != null) {
      db.close(); // null when PostgreSQL was not there (the test was skipped)
    }
  }

  /**
   * Two gateways on one schema (a failover overlapping the old gateway) write one transaction at
   * a time: the audit trail's seq, read and then written in each transaction, has no duplicates.
   */
  @Test
  void write_twoStoresOnOneSchemaAtOnce_takeTurns() throws Exception {
    AuditTrail trail = new AuditTrail(new MutableClock(Instant.EPOCH));
    int each = 25;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (GatewayStore a = db.open(); GatewayStore b = db.open()) {
      List<Future<?>> runs = new ArrayList<>();
      for (GatewayStore store : List.of(a, b)) {
        runs.add(pool.submit(() -> {
          for (int i = 0; i < each; i++) {
            store.write(tx -> trail.append(tx, AuditTrail.SYSTEM, "test", "gateway", Map.of()));
          }
        }));
      }
      for (Future<?> run : runs) {
        run.get();
      }

      assertThat(a.auditEntries(0, 1_000)).extracting(AuditRow::seq)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, 2L * each).boxed().toList());
    } finally {
      pool.shutdownNow();
    }
    AuditVerifier verifier = new AuditVerifier();
    GatewayStore.scanAuditTrail(db.database(), verifier::accept);
    assertThat(verifier.report().problems()).isEmpty();
  }

  @Test
  void write_afterTheServerDroppedTheConnections_failsOnceThenReconnectsAndKeepsEverything() throws Exception {
    try (GatewayStore store = db.open()) {
      store.write(tx -> tx.insertReading("s", "a", reading(1), 10));

      int killed = terminateGatewayConnections();

      assertThat(killed).as("the store's writer and reader").isEqualTo(2);
      assertThatThrownBy(() -> store.write(tx -> tx.insertReading("s", "a", reading(2), 11)))
          .isInstanceOf(StoreException.class).hasMessageContaining("terminating connection");
      boolean stored = store.write(tx -> tx.insertReading("s", "a", reading(2), 12));
      assertThat(stored).isTrue();
    }
  }

  @Test
  void read_afterTheServerDroppedTheConnections_isTriedAgainOnANewOne() throws Exception {
    try (GatewayStore store = db.open()) {
      store.write(tx -> tx.insertReading("s", "a", reading(1), 10));
      assertThat(store.readingCount("s", "a")).isEqualTo(1);

      assertThat(terminateGatewayConnections()).isEqualTo(2);

      assertThat(store.readingCount("s", "a")).isEqualTo(1);
      assertThat(store.lastReading("u").orElseThrow().seq()).isEqualTo(1);
    }
  }

  /**
   * Before PostgreSQL has statistics on the readings (a new database), SQLite's NOT EXISTS form
   * of the watermark query was planned as a scan of all the agent's readings per reading: 2.2 s
   * here for 500 readings above the watermark among 20,000, every batch. The dialect's own form
   * takes milliseconds; the bound leaves a wide margin for a busy machine.
   */
  @Test
  void advanceWatermark_manyReadingsInANewDatabase_walksOnlyThoseAboveIt() throws Exception {
    try (GatewayStore store = db.open()) {
      db.execute("INSERT INTO readings (site, agent, seq, unit, sensor, t, value, quality, synced, received_at)"
              + " SELECT 's', 'a', g, 'u', 'p', g * 1000, 4.0, 'ok', 1, 1 FROM generate_series(1, 20000) AS g",
          "INSERT INTO agents (site, agent, acked_seq) VALUES ('s', 'a', 19500)");

      long started = System.nanoTime();
      long watermark = store.write(tx -> tx.advanceWatermark("s", "a"));
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      assertThat(watermark).isEqualTo(20000);
      assertThat(took).isLessThan(Duration.ofSeconds(1));
    }
  }

  @Test
  void open_wrongPassword_failsNamingTheDatabaseButNotThePassword() {
    Database wrong = new Database(db.database().url(), db.database().username(), Optional.of("not-the-password"));

    assertThatThrownBy(() -> GatewayStore.open(wrong)).isInstanceOf(StoreException.class)
        .hasMessageStartingWith("database [" + wrong.name() + "] cannot be opened: ")
        .hasMessageContaining("password authentication failed")
        .hasMessageNotContaining("not-the-password");
    assertThat(wrong.toString()).doesNotContain("not-the-password");
  }

  private static Reading reading(long seq) {
    return new Reading(seq, seq * 60_000, "u", "p", 4.0, Quality.OK, true);
  }

  /** As a PostgreSQL restart would: ends every gateway session but this one. */
  private int terminateGatewayConnections() throws Exception {
    try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database()"
            + " AND application_name = 'sangfroid-gateway' AND pid <> pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
