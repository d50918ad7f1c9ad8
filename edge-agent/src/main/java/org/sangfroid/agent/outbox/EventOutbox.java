package org.sangfroid.agent.outbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.wire.AgentEvent;
import org.sqlite.SQLiteConfig;

/**
 * The agent's durable record of events (door, mains power, agitator, mute, local alarms), in the
 * outbox's SQLite file ({@code {dataDir}/outbox.db}) beside the readings, through a connection of
 * its own. Events have their own sequence numbers ({@code AUTOINCREMENT}, never reused), are
 * outside the readings' size cap (they are rare: a few a day), and leave only through
 * {@link #deleteUpTo(long)} when the gateway's ack covers them.
 *
 * <p>Each event is committed in its own transaction with {@code synchronous=FULL}: when
 * {@link #record} returns, the event is on the card, whatever happens to the agent next.
 *
 * <p>The last state recorded for each condition (unit, type, and a local alarm's kind) is kept
 * beside the events, and outlives their deletion: {@link #record} ignores an occurrence that
 * repeats it, so an input found open at start after it was reported open is not sent twice, and
 * {@link #activeConditions()} says what the gateway was last told is still on.
 *
 * <p>Thread-safe: one connection, methods serialised on this object. The readings' connection
 * writes the same file: every transaction here that writes begins with its write, so it waits
 * for the other writer (busy timeout) instead of failing on a snapshot the other has made stale
 * (SQLite cannot upgrade a stale read to a write). The last states are therefore kept in memory
 * and only written.
 */
public final class EventOutbox implements AutoCloseable {
  private static final String EVENTS = """
      CREATE TABLE IF NOT EXISTS events (
        seq    INTEGER PRIMARY KEY AUTOINCREMENT,
        t      INTEGER NOT NULL,
        unit   TEXT    NOT NULL,
        type   TEXT    NOT NULL,
        active INTEGER NOT NULL,
        detail TEXT    NOT NULL,
        synced INTEGER NOT NULL
      )""";
  /** The last state recorded per condition; kept when the events themselves are acked and deleted. */
  private static final String LAST_STATE = """
      CREATE TABLE IF NOT EXISTS event_state (
        unit   TEXT    NOT NULL,
        type   TEXT    NOT NULL,
        detail TEXT    NOT NULL,
        active INTEGER NOT NULL,
        t      INTEGER NOT NULL,
        PRIMARY KEY (unit, type, detail)
      )""";

  private final Path file;
  private final Connection db;
  private final AtomicLong depth = new AtomicLong();
  /** The last state recorded per condition (see {@link Occurrence#condition()}). */
  private final Map<String, Occurrence> last = new LinkedHashMap<>();
  private boolean closed;

  private EventOutbox(Path file, Connection db) {
    this.file = file;
    this.db = db;
  }

  /**
   * Opens (creating if needed) the events tables in {@code {dataDir}/outbox.db}.
   *
   * @throws OutboxException if the folder or database cannot be created or opened
   */
  public static EventOutbox open(Path dataDir) {
    Path file = dataDir.resolve(Outbox.FILE_NAME);
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new OutboxException("Outbox folder " + dataDir + " cannot be created: " + e.getMessage(), e);
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(5_000);
    Connection db = null;
    try {
      db = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement st = db.createStatement()) {
        st.executeUpdate(EVENTS);
        st.executeUpdate(LAST_STATE);
      }
      EventOutbox events = new EventOutbox(file, db);
      events.load();
      db.setAutoCommit(false);
      return events;
    } catch (SQLException e) {
      if (db != null) {
        try {
          db.close();
        } catch (SQLException ignored) {
          // The open failure is what the caller needs.
        }
      }
      throw new OutboxException("Outbox " + file + ": the events cannot be opened: " + e.getMessage(), e);
    }
  }

  private void load() throws SQLException {
    try (Statement st = db.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM events")) {
        rs.next();
        depth.set(rs.getLong(1));
      }
      try (ResultSet rs = st.executeQuery("SELECT unit, type, detail, active, t FROM event_state ORDER BY t")) {
        while (rs.next()) {
          Optional<AgentEvent.Type> type = AgentEvent.Type.fromWire(rs.getString(2));
          if (type.isEmpty()) {
            continue;  // a type this version does not know: no condition it tracks
          }
          try {
            Occurrence o = new Occurrence(rs.getLong(5), rs.getString(1), type.get(), rs.getInt(4) != 0,
                rs.getString(3), true);
            last.put(o.condition(), o);
          } catch (RuntimeException e) {
            // A damaged row: the condition counts as never reported, which is the safe side.
          }
        }
      }
    }
  }

  /** The database file. */
  public Path file() {
    return file;
  }

  /**
   * Stores {@code o} in one transaction (one fsync) and returns its event seq; empty, storing
   * nothing, when it repeats the last state recorded for its condition.
   *
   * @throws OutboxException if it cannot be stored
   */
  public synchronized OptionalLong record(Occurrence o) {
    ensureOpen();
    Occurrence before = last.get(o.condition());
    if (before != null ? before.active() == o.active() : !o.active()) {
      return OptionalLong.empty();  // nothing new; never recorded means "not active"
    }
    long seq;
    try (PreparedStatement insert = db.prepareStatement("INSERT INTO events (t, unit, type, active, detail, synced)"
        + " VALUES (?, ?, ?, ?, ?, ?) RETURNING seq");
        PreparedStatement state = db.prepareStatement("INSERT INTO event_state (unit, type, detail, active, t)"
            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (unit, type, detail) DO UPDATE SET active = excluded.active,"
            + " t = excluded.t")) {
      insert.setLong(1, o.time());
      insert.setString(2, o.unit());
      insert.setString(3, o.type().wire());
      insert.setInt(4, o.active() ? 1 : 0);
      insert.setString(5, o.detail());
      insert.setInt(6, o.clockSynced() ? 1 : 0);
      try (ResultSet rs = insert.executeQuery()) {
        rs.next();
        seq = rs.getLong(1);
      }
      state.setString(1, o.unit());
      state.setString(2, o.type().wire());
      state.setString(3, o.detail());
      state.setInt(4, o.active() ? 1 : 0);
      state.setLong(5, o.time());
      state.executeUpdate();
      db.commit();
    } catch (SQLException e) {
      rollback();
      throw new OutboxException("Outbox " + file + ": event " + o + " cannot be stored: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      rollback();
      throw e;
    }
    last.put(o.condition(), o);
    depth.incrementAndGet();
    return OptionalLong.of(seq);
  }

  /** Up to {@code limit} events with {@code seq > afterSeq}, in sequence order. */
  public synchronized List<AgentEvent> readAfter(long afterSeq, int limit) {
    ensureOpen();
    Checks.requireAtLeast("limit", limit, 1);
    List<AgentEvent> out = new ArrayList<>();
    try (PreparedStatement select = db.prepareStatement("SELECT seq, t, unit, type, active, detail, synced"
        + " FROM events WHERE seq > ? ORDER BY seq LIMIT ?")) {
      select.setLong(1, afterSeq);
      select.setInt(2, limit);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          long seq = rs.getLong(1);
          String type = rs.getString(4);
          out.add(new AgentEvent(seq, rs.getLong(2), rs.getString(3),
              AgentEvent.Type.fromWire(type).orElseThrow(() -> new OutboxException(
                  "Outbox " + file + ": event " + seq + " has an unknown type [" + type + "]", null)),
              rs.getInt(5) != 0, rs.getString(6), rs.getInt(7) != 0));
        }
      }
      db.commit();
      return out;
    } catch (SQLException e) {
      rollback();
      throw new OutboxException("Outbox " + file + ": the events cannot be read: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      rollback();
      throw e;
    }
  }

  /** Forgets every event with {@code seq <= upTo}; returns how many were deleted. */
  public synchronized int deleteUpTo(long upTo) {
    ensureOpen();
    try (PreparedStatement delete = db.prepareStatement("DELETE FROM events WHERE seq <= ?")) {
      delete.setLong(1, upTo);
      int n = delete.executeUpdate();
      db.commit();
      depth.addAndGet(-n);
      return n;
    } catch (SQLException e) {
      rollback();
      throw new OutboxException("Outbox " + file + ": events up to " + upTo + " cannot be deleted: "
          + e.getMessage(), e);
    } catch (RuntimeException e) {
      rollback();
      throw e;
    }
  }

  /** The highest event seq ever given (0 if none), deleted events included. */
  public synchronized long lastSeq() {
    ensureOpen();
    try {
      long last = lastAssigned();
      db.commit();
      return last;
    } catch (SQLException e) {
      rollback();
      throw new OutboxException("Outbox " + file + ": the events cannot be read: " + e.getMessage(), e);
    }
  }

  private long lastAssigned() throws SQLException {
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT seq FROM sqlite_sequence WHERE name = 'events'")) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /**
   * Makes the numbering follow {@code seq} when the gateway has stored events up to a seq this
   * outbox never gave (the database was replaced), as {@link Outbox#continueAfter} does for
   * readings: waiting events are renumbered, in order, from {@code seq + 1}.
   *
   * @return true when the events were renumbered
   */
  public synchronized boolean continueAfter(long seq) {
    ensureOpen();
    try {
      try (Statement st = db.createStatement()) {
        // A write first, which takes the write lock on the newest snapshot (see the class comment).
        st.executeUpdate("UPDATE sqlite_sequence SET seq = seq WHERE name = 'events'");
      }
      long lastGiven = lastAssigned();
      if (seq <= lastGiven) {
        db.commit();
        return false;
      }
      long next = seq;
      try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT MIN(seq), MAX(seq) FROM events")) {
        rs.next();
        long min = rs.getLong(1);
        if (!rs.wasNull()) {
          long offset = seq + 1 - min;
          try (PreparedStatement up = db.prepareStatement("UPDATE events SET seq = seq + ?")) {
            up.setLong(1, offset);
            up.executeUpdate();
          }
          next = rs.getLong(2) + offset;
        }
      }
      try (PreparedStatement up = db.prepareStatement("UPDATE sqlite_sequence SET seq = ? WHERE name = 'events'")) {
        up.setLong(1, next);
        if (up.executeUpdate() == 0) {
          try (PreparedStatement ins = db.prepareStatement(
              "INSERT INTO sqlite_sequence (name, seq) VALUES ('events', ?)")) {
            ins.setLong(1, next);
            ins.executeUpdate();
          }
        }
      }
      db.commit();
      return true;
    } catch (SQLException e) {
      rollback();
      throw new OutboxException("Outbox " + file + ": the events cannot be renumbered after " + seq + ": "
          + e.getMessage(), e);
    } catch (RuntimeException e) {
      rollback();
      throw e;
    }
  }

  /**
   * The conditions whose last recorded state is active (an open door, a local alarm on): what the
   * gateway was last told is still going on.
   */
  public synchronized List<Occurrence> activeConditions() {
    return last.values().stream().filter(Occurrence::active).toList();
  }

  /** Events waiting for the gateway's ack. */
  public long depth() {
    return depth.get();
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("Event outbox " + file + " is closed");
    }
  }

  private void rollback() {
    try {
      db.rollback();
    } catch (SQLException ignored) {
      // The original failure is what the caller needs to see.
    }
  }

  /** Closes the connection; later calls fail with {@link IllegalStateException}. Idempotent. */
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

  @Override
  public String toString() {
    return "Event outbox " + file;
  }
}
