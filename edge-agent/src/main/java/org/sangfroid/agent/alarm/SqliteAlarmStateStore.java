package org.sangfroid.agent.alarm;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.sangfroid.agent.outbox.Outbox;
import org.sangfroid.agent.outbox.OutboxException;
import org.sangfroid.core.excursion.UnitStateJson;
import org.sqlite.SQLiteConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local engine's state in the outbox's SQLite file ({@code {dataDir}/outbox.db}), table
 * {@code local_alarm_state}, one row per unit, through a connection of its own. The state is
 * core's {@link UnitStateJson}, the gateway's form; rows saved by agents before it are read too.
 *
 * <p>Saved with {@code synchronous=NORMAL}: a save costs no fsync of its own (an SD card wears with
 * each), and is made durable by the next tick's or event's commit, which fsyncs the same
 * write-ahead log. A power cut right after a save loses at most that save: the unit then resumes
 * from the one before, never from an inconsistent state.
 */
public final class SqliteAlarmStateStore implements AlarmStateStore, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SqliteAlarmStateStore.class);
  private static final String SCHEMA = """
      CREATE TABLE IF NOT EXISTS local_alarm_state (
        unit    TEXT PRIMARY KEY,
        profile TEXT NOT NULL,
        state   TEXT NOT NULL
      )""";

  private final Path file;
  private final Connection db;
  private boolean closed;

  private SqliteAlarmStateStore(Path file, Connection db) {
    this.file = file;
    this.db = db;
  }

  /**
   * Opens (creating if needed) the table in {@code {dataDir}/outbox.db}; the outbox has created
   * the folder and file.
   *
   * @throws OutboxException if the database cannot be opened
   */
  public static SqliteAlarmStateStore open(Path dataDir) {
    Path file = dataDir.resolve(Outbox.FILE_NAME);
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout(5_000);
    Connection db = null;
    try {
      db = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement st = db.createStatement()) {
        st.executeUpdate(SCHEMA);
      }
      db.setAutoCommit(false);
      return new SqliteAlarmStateStore(file, db);
    } catch (SQLException e) {
      if (db != null) {
        try {
          db.close();
        } catch (SQLException ignored) {
          // The open failure is what the caller needs.
        }
      }
      throw new OutboxException("Outbox " + file + ": the local alarm state cannot be opened: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized Map<String, Saved> load() {
    Map<String, Saved> out = new HashMap<>();
    if (closed) {
      return out;
    }
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT unit, profile, state FROM local_alarm_state")) {
      while (rs.next()) {
        String unit = rs.getString(1);
        try {
          out.put(unit, new Saved(rs.getString(2), UnitStateJson.read(rs.getString(3))));
        } catch (RuntimeException e) {
          log.warn("The saved local alarm state of unit {} in {} cannot be read ({}); the unit starts afresh",
              unit, file, e.getMessage());
        }
      }
      db.commit();
    } catch (SQLException e) {
      rollback();
      log.error("The saved local alarm states in {} cannot be read ({}); every unit starts afresh", file,
          e.getMessage());
    }
    return out;
  }

  @Override
  public synchronized void save(Map<String, Saved> states) {
    if (closed || states.isEmpty()) {
      return;
    }
    try (PreparedStatement up = db.prepareStatement("INSERT INTO local_alarm_state (unit, profile, state)"
        + " VALUES (?, ?, ?) ON CONFLICT (unit) DO UPDATE SET profile = excluded.profile, state = excluded.state")) {
      for (Map.Entry<String, Saved> e : states.entrySet()) {
        up.setString(1, e.getKey());
        up.setString(2, e.getValue().profile());
        up.setString(3, UnitStateJson.write(e.getValue().state()));
        up.addBatch();
      }
      up.executeBatch();
      db.commit();
    } catch (SQLException e) {
      rollback();
      throw new OutboxException("Outbox " + file + ": the local alarm state cannot be saved: " + e.getMessage(), e);
    }
  }

  private void rollback() {
    try {
      db.rollback();
    } catch (SQLException ignored) {
      // The original failure is what the caller needs to see.
    }
  }

  /** Closes the connection; later saves are ignored. Idempotent. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      try {
        db.close();
      } catch (SQLException ignored) {
        // Nothing left to do with a connection that will not close.
      }
    }
  }
}
