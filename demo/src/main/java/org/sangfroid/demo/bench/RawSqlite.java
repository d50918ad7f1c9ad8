package org.sangfroid.demo.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import org.sangfroid.core.wire.Reading;
import org.sqlite.SQLiteConfig;

/**
 * The SQLite baselines: what plain JDBC does with the same rows, with the same settings as the
 * agent's outbox and the gateway's store (WAL, {@code synchronous=FULL}), and nothing else.
 */
final class RawSqlite {
  /** The gateway's readings table and its index (gateway migrations V1, V6 and V11), for the insert baseline. */
  private static final String READINGS = """
      CREATE TABLE readings (
        site TEXT NOT NULL, agent TEXT NOT NULL, seq INTEGER NOT NULL, unit TEXT NOT NULL,
        sensor TEXT NOT NULL, t INTEGER NOT NULL, value REAL, quality TEXT NOT NULL,
        synced INTEGER NOT NULL, received_at INTEGER NOT NULL, raw REAL,
        time_corrected INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (site, agent, seq)
      ) WITHOUT ROWID""";
  private static final String READINGS_INDEX = "CREATE INDEX readings_unit_t_value ON readings (unit, t, value)";

  private RawSqlite() {}

  static Connection open(Path file) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    c.setAutoCommit(false);
    return c;
  }

  /**
   * Drains an outbox file as a bare loop would: read the next {@code batch} rows in seq order,
   * delete them, commit; until the table is empty. Returns the rows drained.
   */
  static long drain(Path outboxFile, int batch) throws SQLException {
    long drained = 0;
    try (Connection c = open(outboxFile);
        PreparedStatement select = c.prepareStatement(
            "SELECT seq, t, unit, sensor, value, quality, synced FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?");
        PreparedStatement delete = c.prepareStatement("DELETE FROM outbox WHERE seq <= ?")) {
      long after = 0;
      while (true) {
        select.setLong(1, after);
        select.setInt(2, batch);
        int n = 0;
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            // Every column is read, as the outbox reads a reading.
            after = rs.getLong(1);
            rs.getLong(2);
            rs.getString(3);
            rs.getString(4);
            rs.getDouble(5);
            rs.getString(6);
            rs.getInt(7);
            n++;
          }
        }
        if (n == 0) {
          c.commit();
          return drained;
        }
        delete.setLong(1, after);
        delete.executeUpdate();
        c.commit();
        drained += n;
      }
    }
  }

  /** A connection to a new file holding the gateway's readings table, ready for {@link #insert}. */
  static Connection readingsTable(Path file) throws SQLException {
    Connection c = open(file);
    try (Statement st = c.createStatement()) {
      st.executeUpdate(READINGS);
      st.executeUpdate(READINGS_INDEX);
    }
    c.commit();
    return c;
  }

  /** The insert of {@link #insert}, prepared once per connection as the gateway's store does. */
  static PreparedStatement insertStatement(Connection c) throws SQLException {
    return c.prepareStatement("INSERT INTO readings (site, agent, seq, unit, sensor, t, value, quality, synced,"
        + " received_at, raw, time_corrected) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  }

  /**
   * Inserts one batch of an agent's readings in one transaction, as one JDBC batch: the best plain
   * JDBC does with these rows, as the gateway stores them.
   */
  static void insert(PreparedStatement insert, String site, String agent, Iterable<Reading> batch, long receivedAt)
      throws SQLException {
    for (Reading r : batch) {
      insert.setString(1, site);
      insert.setString(2, agent);
      insert.setLong(3, r.seq());
      insert.setString(4, r.unit());
      insert.setString(5, r.sensor());
      insert.setLong(6, r.time());
      insert.setDouble(7, r.celsius());
      insert.setString(8, r.quality().wire());
      insert.setInt(9, r.clockSynced() ? 1 : 0);
      insert.setLong(10, receivedAt);
      insert.setNull(11, Types.DOUBLE);
      insert.setInt(12, 0);
      insert.addBatch();
    }
    insert.executeBatch();
    insert.getConnection().commit();
  }
}
