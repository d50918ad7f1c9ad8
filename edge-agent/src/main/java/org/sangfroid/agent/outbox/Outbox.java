package org.sangfroid.agent.outbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.wire.Quality;
import org.sangfroid.core.wire.Reading;
import org.sqlite.SQLiteConfig;

/**
 * The agent's durable record of readings, in one SQLite file ({@code {dataDir}/outbox.db}, WAL
 * mode, {@code synchronous=FULL}). Readings get strictly increasing sequence numbers that are
 * never reused ({@code AUTOINCREMENT}), even after every row was deleted and the agent
 * restarted. Rows leave only through {@link #deleteUpTo(long)}, which the publisher calls when
 * the gateway acknowledges; a broker's PUBACK is never enough.
 *
 * <p>Thread-safe: one connection, methods serialised on this object. All methods block on
 * disk I/O; {@link #append(List)} waits for one fsync.
 */
public final class Outbox implements AutoCloseable {
  /** The file name inside the data folder. */
  public static final String FILE_NAME = "outbox.db";

  private static final String SCHEMA = """
      CREATE TABLE IF NOT EXISTS outbox (
        seq     INTEGER PRIMARY KEY AUTOINCREMENT,
        t       INTEGER NOT NULL,
        unit    TEXT    NOT NULL,
        sensor  TEXT    NOT NULL,
        value   REAL,
        quality TEXT    NOT NULL,
        synced  INTEGER NOT NULL
      )""";

  private final Path file;
  private final Connection db;
  private final AtomicLong depth = new AtomicLong();
  private boolean closed;

  private Outbox(Path file, Connection db) {
    this.file = file;
    this.db = db;
  }

  /**
   * Opens (creating if needed) {@code {dataDir}/outbox.db}.
   *
   * @throws OutboxException if the folder or database cannot be created or opened
   */
  public static Outbox open(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new OutboxException("Outbox folder " + dataDir + " cannot be created: " + e.getMessage(), e);
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    // FULL: a tick that append() returned is on the card even if power fails right after.
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(5_000);
    Connection db = null;
    try {
      db = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement st = db.createStatement()) {
        st.executeUpdate(SCHEMA);
      }
      Outbox outbox = new Outbox(file, db);
      outbox.depth.set(outbox.count());
      db.setAutoCommit(false);
      return outbox;
    } catch (SQLException e) {
      closeQuietly(db);
      throw new OutboxException("Outbox " + file + " cannot be opened: " + e.getMessage(), e);
    }
  }

  /** The database file. */
  public Path file() {
    return file;
  }

  /**
   * Stores one whole sampling tick in one transaction (one fsync) and returns the sequence
   * numbers given to the measurements, in the same order.
   */
  public synchronized List<Long> append(List<Measurement> tick) {
    ensureOpen();
    if (tick.isEmpty()) {
      return List.of();
    }
    List<Long> seqs = new ArrayList<>(tick.size());
    try (PreparedStatement insert = db.prepareStatement(
        "INSERT INTO outbox (t, unit, sensor, value, quality, synced) VALUES (?, ?, ?, ?, ?, ?) RETURNING seq")) {
      for (Measurement m : tick) {
        insert.setLong(1, m.time());
        insert.setString(2, m.unit());
        insert.setString(3, m.sensor());
        if (m.quality() == Quality.OK) {
          insert.setDouble(4, m.celsius());
        } else {
          insert.setNull(4, Types.REAL);
        }
        insert.setString(5, m.quality().wire());
        insert.setInt(6, m.clockSynced() ? 1 : 0);
        try (ResultSet rs = insert.executeQuery()) {
          rs.next();
          seqs.add(rs.getLong(1));
        }
      }
      db.commit();
    } catch (SQLException e) {
      rollback();
      throw new OutboxException("Outbox " + file + ": a tick of " + tick.size()
          + " readings cannot be stored: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      // End the transaction whatever failed: an open read pins an old WAL snapshot.
      rollback();
      throw e;
    }
    depth.addAndGet(tick.size());
    return List.copyOf(seqs);
  }

  /** Up to {@code limit} readings with {@code seq > afterSeq}, in sequence order. */
  public synchronized List<Reading> readAfter(long afterSeq, int limit) {
    ensureOpen();
    Checks.requireAtLeast("limit", limit, 1);
    List<Reading> out = new ArrayList<>(Math.min(limit, 4096));
    try (PreparedStatement select = db.prepareStatement(
        "SELECT seq, t, unit, sensor, value, quality, synced FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?")) {
      select.setLong(1, afterSeq);
      select.setInt(2, limit);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          out.add(reading(rs));
        }
      }
      db.commit();
    } catch (SQLException e) {
      rollback();
      throw new OutboxException("Outbox " + file + " cannot be read: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      // End the transaction whatever failed: an open read pins an old WAL snapshot.
      rollback();
      throw e;
    }
    return out;
  }

  private Reading reading(ResultSet rs) throws SQLException {
    long seq = rs.getLong(1);
    String q = rs.getString(6);
    Quality quality = Quality.fromWire(q).orElseThrow(() -> new OutboxException(
        "Outbox " + file + ": row " + seq + " has an unknown quality [" + q + "]", null));
    double value = rs.getDouble(5);
    if (rs.wasNull()) {
      value = Double.NaN;
    }
    return new Reading(seq, rs.getLong(2), rs.getString(3), rs.getString(4), value, quality, rs.getInt(7) != 0);
  }

  /** Forgets every reading with {@code seq <= upTo}; returns how many rows were deleted. */
  public synchronized int deleteUpTo(long upTo) {
    ensureOpen();
    try (PreparedStatement delete = db.prepareStatement("DELETE FROM outbox WHERE seq <= ?")) {
      delete.setLong(1, upTo);
      int n = delete.executeUpdate();
      db.commit();
      depth.addAndGet(-n);
      return n;
    } catch (SQLException e) {
      rollback();
      throw new OutboxException("Outbox " + file + ": readings up to " + upTo
          + " cannot be deleted: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      // End the transaction whatever failed: an open read pins an old WAL snapshot.
      rollback();
      throw e;
    }
  }

  /** The smallest sequence number still stored (0 when empty): everything older is gone. */
  public synchronized long oldestSeq() {
    ensureOpen();
    try {
      long oldest;
      try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT MIN(seq) FROM outbox")) {
        rs.next();
        oldest = rs.getLong(1);
      }
      db.commit();
      return oldest;
    } catch (SQLException e) {
      rollback();
      throw new OutboxException("Outbox " + file + " cannot be read: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      rollback();
      throw e;
    }
  }

  /** The highest sequence number this outbox ever gave (0 if none), deleted rows included. */
  public synchronized long lastSeq() {
    ensureOpen();
    try {
      long last = lastAssigned();
      db.commit();
      return last;
    } catch (SQLException e) {
      rollback();
      throw new OutboxException("Outbox " + file + " cannot be read: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      // End the transaction whatever failed: an open read pins an old WAL snapshot.
      rollback();
      throw e;
    }
  }

  private long lastAssigned() throws SQLException {
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'")) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /**
   * Makes the numbering follow {@code seq} when the gateway has stored readings up to a
   * {@code seq} this outbox never gave: the outbox was replaced (new SD card, deleted file)
   * while the gateway remembers the old one. Without this the gateway would drop every new
   * reading as a duplicate. Waiting readings are renumbered, in order, from {@code seq + 1};
   * later readings follow them. Does nothing when {@code seq <= lastSeq()}.
   *
   * @return true when the outbox was renumbered
   */
  public synchronized boolean continueAfter(long seq) {
    ensureOpen();
    try {
      long last = lastAssigned();
      if (seq <= last) {
        db.commit();
        return false;
      }
      long next = seq;
      try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT MIN(seq), MAX(seq) FROM outbox")) {
        rs.next();
        long min = rs.getLong(1);
        if (!rs.wasNull()) {
          long offset = seq + 1 - min;
          // Every new number is above every old one (min + offset > seq > last): no collision.
          try (PreparedStatement up = db.prepareStatement("UPDATE outbox SET seq = seq + ?")) {
            up.setLong(1, offset);
            up.executeUpdate();
          }
          next = rs.getLong(2) + offset;
        }
      }
      try (PreparedStatement up = db.prepareStatement("UPDATE sqlite_sequence SET seq = ? WHERE name = 'outbox'")) {
        up.setLong(1, next);
        if (up.executeUpdate() == 0) {
          try (PreparedStatement ins = db.prepareStatement("INSERT INTO sqlite_sequence (name, seq) VALUES ('outbox', ?)")) {
            ins.setLong(1, next);
            ins.executeUpdate();
          }
        }
      }
      db.commit();
      return true;
    } catch (SQLException e) {
      rollback();
      throw new OutboxException("Outbox " + file + " cannot be renumbered after " + seq + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      // End the transaction whatever failed: an open read pins an old WAL snapshot.
      rollback();
      throw e;
    }
  }

  /** Readings waiting for the gateway's ack. Cheap: kept in memory, not counted on disk. */
  public long depth() {
    return depth.get();
  }

  private long count() throws SQLException {
    try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM outbox")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("Outbox " + file + " is closed");
    }
  }

  private void rollback() {
    try {
      db.rollback();
    } catch (SQLException ignored) {
      // The original failure is what the caller needs to see.
    }
  }

  /** Closes the database; later calls fail with {@link IllegalStateException}. Idempotent. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      closeQuietly(db);
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // Nothing left to do with a connection that will not close.
      }
    }
  }

  @Override
  public String toString() {
    return "Outbox " + file;
  }
}
