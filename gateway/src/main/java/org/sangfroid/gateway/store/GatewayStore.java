package org.sangfroid.gateway.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.core.excursion.DamagedStateException;
import org.sangfroid.core.excursion.UnitState;
import org.sangfroid.core.excursion.UnitStateJson;
import org.sangfroid.core.wire.AgentEvent;
import org.sangfroid.core.wire.AgentStatus;
import org.sangfroid.core.wire.Quality;
import org.sangfroid.core.wire.Reading;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's database: SQLite (one file, the default) or PostgreSQL, with the same SQL (see
 * {@link Dialect} for the little that differs). One writer connection runs one transaction at a
 * time ({@link #write}); a second connection serves reads, which run beside a write. A connection
 * the database dropped (a PostgreSQL restart, a network cut) is replaced at its next use: the
 * operation that found it broken fails, the next one reconnects. Thread-safe.
 */
public final class GatewayStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayStore.class);
  /** Seconds to wait for the database to answer when checking a connection after a failure. */
  private static final int VALID_TIMEOUT_S = 5;
  /** Audit rows fetched at a time by {@link #scanAuditTrail}: it never holds the whole trail. */
  private static final int SCAN_FETCH_SIZE = 1_000;

  private final Database database;
  private final Dialect dialect;
  private final Link writer;
  private final Link reader;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final ReentrantLock readLock = new ReentrantLock();
  private final Tx tx = new Tx();
  private final String auditOrder;
  /** Copies SQLite's write-ahead log into the database file beside the writer; null on PostgreSQL. */
  private Checkpointer checkpointer;
  /**
   * The units' engine states while {@link #deferUnitStates} is on, by unit. Created under the
   * write lock, read by any thread.
   */
  private final Map<String, Kept> states = new ConcurrentHashMap<>();
  /** Units whose committed state is newer than the database's (some may have been saved since). Under the write lock. */
  private final List<Kept> unsaved = new ArrayList<>();
  /** How long a state may stay unsaved, in ns; negative: saved in its own transaction. */
  private volatile long deferNanos = -1;
  /** When the unsaved states were last saved (System.nanoTime). Under the write lock. */
  private long savedAt;

  /**
   * A unit's engine state kept in memory: the committed one, and the one of the transaction under
   * way until it commits. One object per unit, so that a transaction finds, changes and commits
   * each state without a lookup of its own (10,000 units, ingest thread).
   */
  private static final class Kept {
    /** As last committed; read by any thread. */
    volatile UnitStateRow committed;
    /** Newer than the database's (saved with the others later). Under the write lock. */
    boolean unsaved;
    /** This transaction's, or null. Under the write lock. */
    UnitStateRow pending;
    /** Whether {@link #pending} is still to be written to the database. Under the write lock. */
    boolean pendingDeferred;
  }

  private GatewayStore(Database database) {
    this.database = database;
    this.dialect = database.dialect();
    this.writer = new Link(Dialect.Use.WRITE);
    this.reader = new Link(Dialect.Use.READ);
    this.auditOrder = dialect.auditInsertOrder();
  }

  /**
   * Opens (creating if needed) the SQLite database {@code file} and brings its schema up to date.
   *
   * @throws StoreException if it cannot be opened or migrated
   */
  public static GatewayStore open(Path file) {
    return open(Database.sqlite(file));
  }

  /**
   * Opens {@code database} and brings its schema up to date: an SQLite file is created if needed;
   * a PostgreSQL database must exist, and its tables are created in the login's current schema.
   *
   * @throws StoreException if it cannot be reached, opened or migrated
   */
  public static GatewayStore open(Database database) {
    GatewayStore store = null;
    try {
      Optional<Path> dir = database.file().map(f -> f.toAbsolutePath().getParent());
      if (dir.isPresent()) {
        Files.createDirectories(dir.get());
      }
      Flyway.configure()
          .dataSource(database.url(), database.username().orElse(null), database.password().orElse(null))
          .locations(database.dialect().migrations())
          .load()
          .migrate();
      store = new GatewayStore(database);
      store.writer.connection(); // connect now: a wrong login fails the start, not the first reading
      store.reader.connection();
      if (database.dialect() == Dialect.SQLITE) {
        store.checkpointer = Checkpointer.start(database, Dialect.SQLITE_CHECKPOINT_EVERY);
      }
      return store;
    } catch (Exception e) {
      if (store != null) {
        store.close();
      }
      throw new StoreException("database [" + database.name() + "] cannot be opened: " + e.getMessage(), e);
    }
  }

  /** Where the database is. */
  public Database database() {
    return database;
  }

  /**
   * Runs {@code work} in one transaction and commits it; if {@code work} throws, nothing of it is
   * kept. Transactions run one at a time (on PostgreSQL also across gateways sharing the schema).
   *
   * @throws StoreException if the database fails (the transaction is rolled back)
   */
  public <T> T write(Function<Tx, T> work) {
    return write(work, false);
  }

  private <T> T write(Function<Tx, T> work, boolean saveAllStates) {
    if (writeLock.isHeldByCurrentThread()) {
      throw new IllegalStateException("write transactions do not nest");
    }
    writeLock.lock();
    try {
      try {
        Connection c = writer.connection();
        if (writer.lockStatement != null) {
          try (ResultSet locked = writer.prepare(writer.lockStatement).executeQuery()) {
            locked.next();
          }
        }
        T result = work.apply(tx);
        boolean saveStates = saveAllStates || (deferNanos >= 0 && System.nanoTime() - savedAt >= deferNanos);
        if (saveStates) {
          tx.saveUnsavedStates();
        }
        c.commit();
        tx.committed(saveStates);
        return result;
      } catch (RuntimeException | Error e) {
        writer.rollback(e);
        throw e;
      } catch (SQLException e) {
        writer.rollback(e);
        throw new StoreException("database write failed: " + e.getMessage(), e);
      } finally {
        tx.reset();
      }
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * From now on, the engine states that readings change ({@link Tx#keepUnitState}) are kept in
   * memory and saved together at most {@code every} later, in the transaction that follows, and at
   * {@link #close}: saving a state in every transaction is about a third of the ingest's work. A
   * state that anything else changes (an input, a tick, a restock) is saved in its transaction.
   * After a crash, what was not saved is rebuilt from the stored readings each state says it
   * includes ({@link UnitStateRow#includes}), before the gateway takes new readings.
   *
   * <p>Only for the database's one gateway: on a database that several gateways share, another
   * one may change a state this one keeps.
   */
  public void deferUnitStates(Duration every) {
    writeLock.lock();
    try {
      savedAt = System.nanoTime();
      deferNanos = every.toNanos();
    } finally {
      writeLock.unlock();
    }
  }

  /** Saves every engine state kept in memory now, in a transaction of its own. */
  public void saveUnitStates() {
    write(tx -> null, true);
  }

  /**
   * A connection and its prepared statements. After a failure it is checked, and dropped when the
   * database no longer answers on it; its next use opens a new one. Used under its lock only.
   */
  private final class Link {
    private final Dialect.Use use;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private Connection connection;
    private boolean closed;
    /** The statement that starts a write transaction on this connection, if it needs one. */
    private String lockStatement;

    Link(Dialect.Use use) {
      this.use = use;
    }

    Connection connection() throws SQLException {
      if (closed) {
        throw new SQLException("the store is closed");
      }
      if (connection == null) {
        connection = dialect.connect(database, use);
        if (use == Dialect.Use.WRITE) {
          lockStatement = dialect.writeLock(connection).orElse(null);
        }
      }
      return connection;
    }

    PreparedStatement prepare(String sql) throws SQLException {
      PreparedStatement s = statements.get(sql);
      if (s == null) {
        s = connection().prepareStatement(sql);
        statements.put(sql, s);
      }
      return s;
    }

    /** Rolls back what a failed transaction did, then checks the connection. */
    void rollback(Throwable cause) {
      if (connection == null) {
        return;
      }
      try {
        connection.rollback();
      } catch (SQLException e) {
        cause.addSuppressed(e);
      }
      keepAfter(cause);
    }

    /** Keeps the connection if the database still answers on it (true); drops it otherwise. */
    boolean keepAfter(Throwable cause) {
      if (connection == null) {
        return true;
      }
      try {
        if (connection.isValid(VALID_TIMEOUT_S)) {
          return true;
        }
      } catch (SQLException e) {
        cause.addSuppressed(e);
      }
      LOG.warn("The connection to database [{}] was lost ({}); the next {} opens a new one", database.name(),
          cause.getMessage(), use == Dialect.Use.WRITE ? "write" : "read");
      drop();
      return false;
    }

    /** Closes the statements and the connection, quietly: it may be broken already. */
    private void drop() {
      for (PreparedStatement s : statements.values()) {
        try {
          s.close();
        } catch (SQLException e) {
          LOG.debug("closing a statement failed", e);
        }
      }
      statements.clear();
      try {
        if (connection != null) {
          connection.close();
        }
      } catch (SQLException e) {
        LOG.debug("closing a connection failed", e);
      }
      connection = null;
    }

    void close() {
      drop();
      closed = true;
    }
  }

  /** The operations of a write transaction; valid only inside {@link #write}. */
  public final class Tx {
    /** The states this transaction saved or keeps (only while states are deferred), each once. */
    private final List<Kept> changed = new ArrayList<>();

    private Tx() {}

    private PreparedStatement st(String sql) {
      if (!writeLock.isHeldByCurrentThread()) {
        throw new IllegalStateException("use Tx only inside GatewayStore.write");
      }
      return sql(() -> writer.prepare(sql));
    }

    /** Stores a reading; false when (site, agent, seq) is already stored (a duplicate). */
    public boolean insertReading(String site, String agent, Reading r, long receivedAt) {
      return !insertReadings(site, agent, List.of(r), receivedAt).isEmpty();
    }

    /**
     * Stores an agent's readings, in strictly increasing {@code seq} order (as a batch carries
     * them), and returns those newly stored, in order; the others were stored before (duplicates).
     * One query finds the seqs already stored in the readings' range, one JDBC batch inserts the
     * rest: the ingest's cost per reading is the insert alone.
     *
     * @throws IllegalArgumentException if the seqs are not strictly increasing
     */
    public List<Reading> insertReadings(String site, String agent, List<Reading> readings, long receivedAt) {
      if (readings.isEmpty()) {
        return List.of();
      }
      for (int i = 1; i < readings.size(); i++) {
        if (readings.get(i).seq() <= readings.get(i - 1).seq()) {
          throw new IllegalArgumentException("readings of " + site + "/" + agent + " must come in increasing seq"
              + " order, found " + readings.get(i).seq() + " after " + readings.get(i - 1).seq());
        }
      }
      PreparedStatement known = st("SELECT seq FROM readings WHERE site = ? AND agent = ? AND seq >= ? AND seq <= ?");
      PreparedStatement s = st("INSERT INTO readings"
          + " (site, agent, seq, unit, sensor, t, value, quality, synced, received_at, raw, time_corrected)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
      return sql(() -> {
        Set<Long> stored = new HashSet<>();
        bind(known, site, agent, readings.get(0).seq(), readings.get(readings.size() - 1).seq());
        try (ResultSet rs = known.executeQuery()) {
          while (rs.next()) {
            stored.add(rs.getLong(1));
          }
        }
        List<Reading> fresh = new ArrayList<>(readings.size() - stored.size());
        int[] counts;
        try {
          for (Reading r : readings) {
            if (!stored.contains(r.seq())) {
              fresh.add(r);
              bindReading(s, site, agent, r, receivedAt);
              s.addBatch();
            }
          }
          if (fresh.isEmpty()) {
            return fresh;
          }
          counts = s.executeBatch();
        } catch (SQLException | RuntimeException e) {
          clearBatch(s, e); // the statement is kept for the next transaction: it must not carry these rows
          throw e;
        }
        // Writers run one at a time, so the query above saw every stored seq; a count of 0 (a
        // conflict all the same) would still be a duplicate, never a reading reported stored.
        List<Reading> inserted = fresh;
        for (int i = 0; i < counts.length; i++) {
          if (counts[i] == 0) {
            if (inserted == fresh) {
              inserted = new ArrayList<>(fresh.subList(0, i));
            }
          } else if (inserted != fresh) {
            inserted.add(fresh.get(i));
          }
        }
        return inserted;
      });
    }

    private static void clearBatch(PreparedStatement s, Exception cause) {
      try {
        s.clearBatch();
      } catch (SQLException e) {
        cause.addSuppressed(e);
      }
    }

    private void bindReading(PreparedStatement s, String site, String agent, Reading r, long receivedAt)
        throws SQLException {
      s.setString(1, site);
      s.setString(2, agent);
      s.setLong(3, r.seq());
      s.setString(4, r.unit());
      s.setString(5, r.sensor());
      s.setLong(6, r.time());
      if (r.valid()) {
        s.setDouble(7, r.celsius());
      } else {
        s.setNull(7, Types.DOUBLE);
      }
      s.setString(8, r.quality().wire());
      s.setInt(9, r.clockSynced() ? 1 : 0);
      s.setLong(10, receivedAt);
      if (r.raw().isPresent()) {
        s.setDouble(11, r.raw().getAsDouble());
      } else {
        s.setNull(11, Types.DOUBLE);
      }
      s.setInt(12, r.timeCorrected() ? 1 : 0);
    }

    private void ensureAgent(String site, String agent) {
      update(st("INSERT INTO agents (site, agent) VALUES (?, ?) ON CONFLICT DO NOTHING"), site, agent);
    }

    /** The agent's watermark: every seq from 1 to it is stored, or was given up as a gap (0 when new). */
    public long watermark(String site, String agent) {
      return queryLong(st("SELECT acked_seq FROM agents WHERE site = ? AND agent = ?"), site, agent).orElse(0);
    }

    /**
     * Raises the watermark to {@code floor} when it is lower, because the agent no longer holds
     * anything up to it; returns how many seqs up to {@code floor} were never stored (the gap).
     */
    public long skipTo(String site, String agent, long floor) {
      ensureAgent(site, agent);
      long acked = watermark(site, agent);
      if (floor <= acked) {
        return 0;
      }
      long present = queryLong(st("SELECT count(*) FROM readings WHERE site = ? AND agent = ? AND seq > ? AND seq <= ?"),
          site, agent, acked, floor).orElse(0);
      update(st("UPDATE agents SET acked_seq = ? WHERE site = ? AND agent = ?"), floor, site, agent);
      return floor - acked - present;
    }

    /** The agent's stored readings with {@code after < seq <= upTo}, in seq order. */
    public List<Reading> readings(String site, String agent, long after, long upTo) {
      PreparedStatement s = st(WIRE_READING_SELECT + " WHERE site = ? AND agent = ? AND seq > ? AND seq <= ? ORDER BY seq");
      return sql(() -> {
        bind(s, site, agent, after, upTo);
        List<Reading> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            out.add(wireReading(rs));
          }
        }
        return out;
      });
    }

    /**
     * Calls {@code each} with the readings of {@code unit} from agent {@code site}/{@code agent}
     * with {@code after < seq <= upTo} measured at or after {@code since}, in seq order, and
     * returns how many there were. Reads the per-unit index; holds one reading at a time.
     */
    public long unitReadings(String unit, String site, String agent, long after, long upTo, long since,
        Consumer<Reading> each) {
      PreparedStatement s = st(WIRE_READING_SELECT
          + " WHERE unit = ? AND t >= ? AND site = ? AND agent = ? AND seq > ? AND seq <= ? ORDER BY seq");
      return sql(() -> {
        bind(s, unit, since, site, agent, after, upTo);
        long n = 0;
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            each.accept(wireReading(rs));
            n++;
          }
        }
        return n;
      });
    }

    /**
     * Moves the agent's watermark to the highest {@code seq} such that every seq from 1 to it
     * is stored, and returns it (0 while seq 1 is missing).
     */
    public long advanceWatermark(String site, String agent) {
      return advanceWatermark(site, agent, 0);
    }

    /**
     * As {@link #advanceWatermark(String, String)}, told that every seq up to {@code likelyStored}
     * is probably stored (the batch just stored reaches the watermark): one count checks it, and
     * the search for the run's end starts there instead of probing each seq of the batch. A wrong
     * hint costs the count only; the watermark is the same.
     */
    public long advanceWatermark(String site, String agent, long likelyStored) {
      ensureAgent(site, agent);
      long acked = queryLong(st("SELECT acked_seq FROM agents WHERE site = ? AND agent = ?"), site, agent)
          .orElse(0);
      if (queryLong(st("SELECT 1 FROM readings WHERE site = ? AND agent = ? AND seq = ?"), site, agent, acked + 1)
          .isEmpty()) {
        return acked;
      }
      long from = acked;
      if (likelyStored > acked + 1 && queryLong(st("SELECT count(*) FROM readings WHERE site = ? AND agent = ?"
          + " AND seq > ? AND seq <= ?"), site, agent, acked, likelyStored).orElse(0) == likelyStored - acked) {
        from = likelyStored - 1; // every seq up to likelyStored is stored: the run reaches it
      }
      // The first stored seq above `from` whose successor is missing ends the run.
      PreparedStatement end = st(dialect.runEnd());
      long watermark = queryLong(end, site, agent, from).orElse(acked);
      update(st("UPDATE agents SET acked_seq = ? WHERE site = ? AND agent = ?"), watermark, site, agent);
      return watermark;
    }

    /** Records that the agent was heard from at {@code now}. */
    public void agentSeen(String site, String agent, long now) {
      ensureAgent(site, agent);
      PreparedStatement s = st("UPDATE agents SET last_seen = ? WHERE site = ? AND agent = ?");
      sql(() -> {
        s.setLong(1, now);
        s.setString(2, site);
        s.setString(3, agent);
        return s.executeUpdate();
      });
    }

    /** Records the agent's status message (birth or last will) received at {@code now}. */
    public void agentStatus(String site, String agent, AgentStatus status, long now) {
      ensureAgent(site, agent);
      PreparedStatement s = st(status.online()
          ? "UPDATE agents SET last_seen = ?, online = 1, version = ?, started_at = ?, outbox_depth = ?"
              + " WHERE site = ? AND agent = ?"
          : "UPDATE agents SET last_seen = ?, online = 0 WHERE site = ? AND agent = ?");
      sql(() -> {
        int i = 1;
        s.setLong(i++, now);
        if (status.online()) {
          s.setString(i++, status.version());
          s.setLong(i++, status.startedAt());
          s.setLong(i++, status.outboxDepth());
        }
        s.setString(i++, site);
        s.setString(i, agent);
        return s.executeUpdate();
      });
    }

    /**
     * Records the outbox health an online status carries (oldest waiting reading, readings
     * dropped), or clears it when the status does not say. Does nothing for a last will, which
     * says nothing of the outbox.
     */
    public void agentOutboxHealth(String site, String agent, AgentStatus status) {
      if (!status.online()) {
        return;
      }
      ensureAgent(site, agent);
      PreparedStatement s = st("UPDATE agents SET oldest_unsent = ?, readings_dropped = ? WHERE site = ? AND agent = ?");
      sql(() -> {
        if (status.oldestUnsent().isPresent()) {
          s.setLong(1, status.oldestUnsent().getAsLong());
        } else {
          s.setNull(1, Types.BIGINT);
        }
        if (status.dropped().isPresent()) {
          s.setLong(2, status.dropped().getAsLong());
        } else {
          s.setNull(2, Types.BIGINT);
        }
        s.setString(3, site);
        s.setString(4, agent);
        return s.executeUpdate();
      });
    }

    /** The engine state of {@code unit}, if there is one. */
    public Optional<UnitState> unitState(String unit) {
      return unitStateRow(unit).map(UnitStateRow::state);
    }

    /** The engine state of {@code unit} and the readings it includes, if there is one. */
    public Optional<UnitStateRow> unitStateRow(String unit) {
      Kept kept = deferNanos >= 0 ? states.get(unit) : null;
      if (kept != null) {
        UnitStateRow row = kept.pending != null ? kept.pending : kept.committed;
        if (row != null) {
          return Optional.of(row);
        }
      }
      PreparedStatement s = st("SELECT state, site, agent, seq, updated_at FROM unit_state WHERE unit = ?");
      Optional<UnitStateRow> saved = sql(() -> {
        s.setString(1, unit);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() ? Optional.of(GatewayStore.rowOf(unit, rs)) : Optional.<UnitStateRow>empty();
        }
      });
      if (deferNanos >= 0) {
        saved.ifPresent(r -> kept(unit).committed = r); // committed already: a rollback does not undo it
      }
      return saved;
    }

    /**
     * Saves the engine state of {@code unit}, which something other than a reading changed (an
     * input, a tick, a restock): it includes the same readings as before.
     *
     * @throws IllegalStateException if the unit has no state yet (see the other form)
     */
    public void saveUnitState(String unit, UnitState state, long now) {
      UnitStateRow before = unitStateRow(unit)
          .orElseThrow(() -> new IllegalStateException("unit " + unit + " has no engine state to change yet"));
      save(before.with(state, now));
    }

    /** Saves the engine state of {@code unit}, which includes {@code includes}. */
    public void saveUnitState(String unit, UnitState state, UnitStateRow.Includes includes, long now) {
      save(new UnitStateRow(unit, state, Optional.of(includes), now));
    }

    /**
     * Keeps the engine state of {@code unit} after readings up to {@code includes}: saved in this
     * transaction, or later with others when {@linkplain GatewayStore#deferUnitStates deferred}.
     */
    public void keepUnitState(String unit, UnitState state, UnitStateRow.Includes includes, long now) {
      UnitStateRow row = new UnitStateRow(unit, state, Optional.of(includes), now);
      if (deferNanos < 0) {
        save(row);
        return;
      }
      change(kept(unit), row, true);
    }

    /** The unit's kept state, created empty the first time. */
    private Kept kept(String unit) {
      Kept k = states.get(unit);
      if (k == null) {
        k = new Kept();
        states.put(unit, k);
      }
      return k;
    }

    private void change(Kept k, UnitStateRow row, boolean deferred) {
      if (k.pending == null) {
        changed.add(k);
      }
      k.pending = row;
      k.pendingDeferred = deferred;
    }

    private void save(UnitStateRow row) {
      PreparedStatement s = st(SAVE_STATE);
      sql(() -> {
        bindState(s, row);
        return s.executeUpdate();
      });
      if (deferNanos >= 0) {
        change(kept(row.unit()), row, false);
      }
    }

    /** Writes every state kept unsaved, the committed ones and this transaction's, in one batch. */
    private void saveUnsavedStates() {
      PreparedStatement s = st(SAVE_STATE);
      int count = sql(() -> {
        int n = 0;
        for (Kept k : unsaved) {
          if (k.unsaved && k.pending == null) { // this transaction's own come next
            bindState(s, k.committed);
            s.addBatch();
            n++;
          }
        }
        for (Kept k : changed) {
          if (k.pendingDeferred) {
            bindState(s, k.pending);
            s.addBatch();
            n++;
          }
        }
        if (n > 0) {
          s.executeBatch();
        }
        return n;
      });
      for (Kept k : changed) {
        k.pendingDeferred = false; // a rollback forgets pending altogether
      }
      LOG.debug("Saved the engine state of {} units", count);
    }

    /** After the commit: this transaction's states become the committed ones. */
    private void committed(boolean savedAll) {
      if (deferNanos < 0) {
        return;
      }
      if (savedAll) {
        unsaved.forEach(k -> k.unsaved = false);
        unsaved.clear();
        savedAt = System.nanoTime();
      }
      for (Kept k : changed) {
        k.committed = k.pending;
        if (k.pendingDeferred && !k.unsaved) {
          k.unsaved = true;
          unsaved.add(k);
        } else if (!k.pendingDeferred) {
          k.unsaved = false; // stays listed in unsaved until the next save, which skips it
        }
      }
    }

    /** Forgets this transaction's states: committed (already merged) or rolled back. */
    private void reset() {
      for (Kept k : changed) {
        k.pending = null;
        k.pendingDeferred = false;
      }
      changed.clear();
    }

    /**
     * The alarm of {@code kind} on {@code unit} whose condition is on (not cleared), if any; it
     * may already be acknowledged or even closed (kinds that never clear by themselves).
     */
    public Optional<AlarmRow> activeAlarm(String unit, AlarmKind kind) {
      PreparedStatement s = st(ALARM_SELECT + " WHERE unit = ? AND kind = ? AND cleared_at IS NULL");
      return sql(() -> {
        s.setString(1, unit);
        s.setString(2, kind.name());
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() ? Optional.of(alarm(rs)) : Optional.<AlarmRow>empty();
        }
      });
    }

    /** Inserts an alarm whose condition is on and returns it with its id. */
    public AlarmRow insertAlarm(String site, String unit, AlarmKind kind, long startedAt, long raisedAt,
        double triggerValue, double limit, double peak, boolean late) {
      PreparedStatement s = st("INSERT INTO alarms (site, unit, kind, started_at, raised_at,"
          + " trigger_value, limit_value, peak, late) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
      long id = sql(() -> {
        s.setString(1, site);
        s.setString(2, unit);
        s.setString(3, kind.name());
        s.setLong(4, startedAt);
        s.setLong(5, raisedAt);
        setDouble(s, 6, triggerValue);
        setDouble(s, 7, limit);
        setDouble(s, 8, peak);
        s.setInt(9, late ? 1 : 0);
        try (ResultSet keys = s.executeQuery()) {
          keys.next();
          return keys.getLong(1);
        }
      });
      return alarmById(id);
    }

    /** Ends the condition of alarm {@code id} at {@code clearedAt}, recording its final peak; returns it. */
    public AlarmRow clearAlarm(long id, long clearedAt, double peak) {
      PreparedStatement s = st("UPDATE alarms SET cleared_at = ?, peak = COALESCE(?, peak) WHERE id = ?");
      sql(() -> {
        s.setLong(1, clearedAt);
        setDouble(s, 2, peak);
        s.setLong(3, id);
        return s.executeUpdate();
      });
      return alarmById(id);
    }

    private AlarmRow alarmById(long id) {
      PreparedStatement s = st(ALARM_SELECT + " WHERE id = ?");
      return sql(() -> {
        s.setLong(1, id);
        try (ResultSet rs = s.executeQuery()) {
          if (!rs.next()) {
            throw new SQLException("alarm " + id + " vanished");
          }
          return alarm(rs);
        }
      });
    }

    // ---- alarm lifecycle and audit trail (issue 4) ----

    /** Alarm {@code id}, if it exists. */
    public Optional<AlarmRow> findAlarm(long id) {
      PreparedStatement s = st(ALARM_SELECT + " WHERE id = ?");
      return sql(() -> {
        s.setLong(1, id);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() ? Optional.of(alarm(rs)) : Optional.<AlarmRow>empty();
        }
      });
    }

    /** Records that {@code ack.user} acknowledged alarm {@code id}; returns it. No rule is checked here. */
    public AlarmRow acknowledgeAlarm(long id, Acknowledgement ack) {
      PreparedStatement s = st("UPDATE alarms SET acknowledged_at = ?, acknowledged_by = ?, ack_comment = ?"
          + " WHERE id = ?");
      sql(() -> {
        s.setLong(1, ack.at());
        s.setString(2, ack.user());
        s.setString(3, ack.comment());
        s.setLong(4, id);
        return s.executeUpdate();
      });
      return alarmById(id);
    }

    /** Records that {@code closure.user} closed alarm {@code id}; returns it. No rule is checked here. */
    public AlarmRow closeAlarm(long id, Closure closure) {
      PreparedStatement s = st("UPDATE alarms SET closed_at = ?, closed_by = ?, root_cause = ?, disposition = ?"
          + " WHERE id = ?");
      sql(() -> {
        s.setLong(1, closure.at());
        s.setString(2, closure.user());
        s.setString(3, closure.rootCause());
        s.setString(4, closure.disposition().wire());
        s.setLong(5, id);
        return s.executeUpdate();
      });
      return alarmById(id);
    }

    /** Appends a transition to the alarm's history. */
    public void addAlarmHistory(AlarmHistoryRow h) {
      PreparedStatement s = st("INSERT INTO alarm_history (alarm_id, at, event, actor, comment, recorded_at)"
          + " VALUES (?, ?, ?, ?, ?, ?)");
      sql(() -> {
        s.setLong(1, h.alarmId());
        s.setLong(2, h.at());
        s.setString(3, h.event());
        s.setString(4, h.actor());
        s.setString(5, h.comment().orElse(null));
        s.setLong(6, h.recordedAt());
        return s.executeUpdate();
      });
    }

    /** The newest audit entry (highest seq), if any. */
    public Optional<AuditRow> auditHead() {
      PreparedStatement s = st(AUDIT_SELECT + " ORDER BY seq DESC, " + auditOrder + " DESC LIMIT 1");
      return sql(() -> {
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() ? Optional.of(audit(rs)) : Optional.<AuditRow>empty();
        }
      });
    }

    /** Appends an audit entry as given (the caller computes seq and hashes: see audit.AuditTrail). */
    public void appendAudit(AuditRow a) {
      PreparedStatement s = st("INSERT INTO audit_trail (seq, time, actor, action, subject, details, prev_hash, hash)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
      sql(() -> {
        s.setLong(1, a.seq());
        s.setLong(2, a.time());
        s.setString(3, a.actor());
        s.setString(4, a.action());
        s.setString(5, a.subject());
        s.setString(6, a.details());
        s.setString(7, a.prevHash());
        s.setString(8, a.hash());
        return s.executeUpdate();
      });
    }

    /** The newest alarm of {@code kind} on {@code unit} that nobody has acknowledged or closed yet. */
    public Optional<AlarmRow> unacknowledgedAlarm(String unit, AlarmKind kind) {
      PreparedStatement s = st(ALARM_SELECT + " WHERE unit = ? AND kind = ? AND acknowledged_at IS NULL"
          + " AND closed_at IS NULL ORDER BY id DESC LIMIT 1");
      return sql(() -> {
        s.setString(1, unit);
        s.setString(2, kind.name());
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() ? Optional.of(alarm(rs)) : Optional.<AlarmRow>empty();
        }
      });
    }

    // ---- web users (V7) ----

    /** The user called {@code name}, if there is one. */
    public Optional<UserRow> findUser(String name) {
      PreparedStatement s = st(USER_SELECT + " WHERE name = ?");
      return sql(() -> {
        s.setString(1, name);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() ? Optional.of(userRow(rs)) : Optional.<UserRow>empty();
        }
      });
    }

    /** Inserts a user; the name must be new. */
    public void insertUser(UserRow u) {
      PreparedStatement s = st("INSERT INTO users (name, role, language, password_hash, created_at, email)"
          + " VALUES (?, ?, ?, ?, ?, ?)");
      sql(() -> {
        bind(s, u.name(), u.role(), u.language(), u.passwordHash(), u.createdAt());
        s.setString(6, u.email().orElse(null)); // setString: PostgreSQL needs the type of a null
        return s.executeUpdate();
      });
    }

    /** The user whose e-mail address is {@code email} (whatever its case), if there is one. */
    public Optional<UserRow> findUserByEmail(String email) {
      PreparedStatement s = st(USER_SELECT + " WHERE lower(email) = lower(?)");
      return sql(() -> {
        s.setString(1, email);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() ? Optional.of(userRow(rs)) : Optional.<UserRow>empty();
        }
      });
    }

    /** Sets the language of user {@code name}; false when there is no such user. */
    public boolean setUserLanguage(String name, String language) {
      return update(st("UPDATE users SET language = ? WHERE name = ?"), language, name) == 1;
    }

    // ---- agent events (V5) ----

    /** Stores an event; false when (site, agent, seq) is already stored (a duplicate). */
    public boolean insertEvent(String site, String agent, AgentEvent e, long receivedAt) {
      return update(st("INSERT INTO events (site, agent, seq, unit, type, active, detail, t, synced, received_at)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"), site, agent, e.seq(), e.unit(),
          e.type().wire(), e.active() ? 1 : 0, e.detail(), e.time(), e.clockSynced() ? 1 : 0, receivedAt) == 1;
    }

    /** The agent's event watermark: every event seq from 1 to it is stored (0 when none). */
    public long eventsWatermark(String site, String agent) {
      return queryLong(st("SELECT events_acked FROM agents WHERE site = ? AND agent = ?"), site, agent).orElse(0);
    }

    /** Raises the event watermark over the events stored without a hole; returns it. */
    public long advanceEventsWatermark(String site, String agent) {
      ensureAgent(site, agent);
      long acked = eventsWatermark(site, agent);
      long next = acked;
      // Events are few: walk the stored seqs above the watermark until the first hole.
      PreparedStatement s = st("SELECT seq FROM events WHERE site = ? AND agent = ? AND seq > ? ORDER BY seq LIMIT 1000");
      List<Long> seqs = sql(() -> {
        bind(s, site, agent, acked);
        List<Long> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getLong(1));
          }
        }
        return out;
      });
      for (long seq : seqs) {
        if (seq != next + 1) {
          break;
        }
        next = seq;
      }
      if (next != acked) {
        update(st("UPDATE agents SET events_acked = ? WHERE site = ? AND agent = ?"), next, site, agent);
      }
      return next;
    }

    // ---- notification queue and escalation (V4) ----

    /** Queues one delivery, due at once; returns its id. */
    public long queueNotification(long alarmId, String event, int level, String channel, String target, long now) {
      return queryLong(st("INSERT INTO notifications (alarm_id, event, level, channel, target, created_at, due_at,"
          + " attempts) VALUES (?, ?, ?, ?, ?, ?, ?, 0) RETURNING id"), alarmId, event, level, channel, target, now, now)
          .orElseThrow();
    }

    /** Marks a delivery done. */
    public void notificationDelivered(long id, int attempts, long at) {
      update(st("UPDATE notifications SET delivered_at = ?, attempts = ?, last_error = NULL WHERE id = ?"),
          at, attempts, id);
    }

    /** Records a failed attempt and when to try again. */
    public void notificationRetry(long id, int attempts, long dueAt, String error) {
      update(st("UPDATE notifications SET attempts = ?, due_at = ?, last_error = ? WHERE id = ?"),
          attempts, dueAt, error, id);
    }

    /** Gives a delivery up: it becomes a dead letter. */
    public void notificationDead(long id, int attempts, long at, String error) {
      update(st("UPDATE notifications SET attempts = ?, dead_at = ?, last_error = ? WHERE id = ?"),
          attempts, at, error, id);
    }

    /** Sets an alarm's escalation: steps taken, and when the next is due (null: none). */
    public void setEscalation(long alarmId, int level, Long dueAt) {
      PreparedStatement s = st("UPDATE alarms SET escalation_level = ?, escalation_due_at = ? WHERE id = ?");
      sql(() -> {
        s.setInt(1, level);
        if (dueAt == null) {
          s.setNull(2, Types.BIGINT);
        } else {
          s.setLong(2, dueAt);
        }
        s.setLong(3, alarmId);
        return s.executeUpdate();
      });
    }

    /** Alarms neither acknowledged nor closed whose next escalation is due at {@code now}, oldest due first. */
    public List<Escalating> escalationsDue(long now) {
      PreparedStatement s = st("SELECT id, escalation_level, escalation_due_at FROM alarms"
          + " WHERE escalation_due_at <= ? AND acknowledged_at IS NULL AND closed_at IS NULL"
          + " ORDER BY escalation_due_at, id");
      return sql(() -> {
        s.setLong(1, now);
        List<Escalating> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            out.add(new Escalating(rs.getLong(1), rs.getInt(2), rs.getLong(3)));
          }
        }
        return out;
      });
    }
    // ---- report signatures (V8) ----

    /** Records a signature of a report; returns it with its id. */
    public SignatureRow insertSignature(SignatureRow s) {
      long id = queryLong(st("INSERT INTO report_signatures (unit, period, content_hash, signed_by, signed_at,"
          + " statement, comment, audit_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"), s.unit(), s.period(),
          s.contentHash(), s.signedBy(), s.signedAt(), s.statement(), s.comment().orElse(null), s.auditSeq())
          .orElseThrow();
      return new SignatureRow(id, s.unit(), s.period(), s.contentHash(), s.signedBy(), s.signedAt(), s.statement(),
          s.comment(), s.auditSeq());
    }
  }

  /** An alarm due for its next escalation step: {@code level} steps taken so far. */
  public record Escalating(long alarmId, int level, long dueAt) {}

  // ---- reads ----

  /** The newest reading of {@code unit} by measurement time. */
  public Optional<ReadingRow> lastReading(String unit) {
    return read(c -> {
      PreparedStatement s = c.prepare("SELECT seq, t, sensor, value, quality, raw, synced, time_corrected FROM readings"
          + " WHERE unit = ? ORDER BY t DESC, seq DESC LIMIT 1");
      s.setString(1, unit);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(reading(rs)) : Optional.<ReadingRow>empty();
      }
    });
  }

  /** Readings of {@code unit} measured from {@code from} to {@code to} included, oldest first, at most {@code limit}. */
  public List<ReadingRow> readings(String unit, long from, long to, int limit) {
    return read(c -> {
      PreparedStatement s = c.prepare("SELECT seq, t, sensor, value, quality, raw, synced, time_corrected FROM readings"
          + " WHERE unit = ? AND t >= ? AND t <= ? ORDER BY t, seq LIMIT ?");
      s.setString(1, unit);
      s.setLong(2, from);
      s.setLong(3, to);
      s.setInt(4, limit);
      List<ReadingRow> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(reading(rs));
        }
      }
      return out;
    });
  }

  /** The unit's events measured in [{@code from}, {@code to}], oldest first, at most {@code limit}. */
  public List<EventRow> events(String unit, long from, long to, int limit) {
    return read(c -> {
      PreparedStatement s = c.prepare("SELECT site, agent, seq, unit, type, active, detail, t,"
          + " synced FROM events WHERE unit = ? AND t >= ? AND t <= ? ORDER BY t, seq LIMIT ?");
      bind(s, unit, from, to, limit);
      List<EventRow> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(new EventRow(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5),
              rs.getInt(6) == 1, rs.getString(7), rs.getLong(8), rs.getInt(9) == 1));
        }
      }
      return out;
    });
  }

  /** How many readings of {@code unit}, valid or not, were measured from {@code from} to {@code to} included. */
  public long countReadings(String unit, long from, long to) {
    return read(c -> {
      PreparedStatement s = c.prepare("SELECT COUNT(*) FROM readings WHERE unit = ? AND t >= ? AND t <= ?");
      bind(s, unit, from, to);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  /**
   * The valid readings of {@code unit} measured from {@code from} to {@code to} included, grouped
   * in buckets of {@code width} ms counted from {@code from}: each bucket's min, max, mean and
   * count, oldest first; buckets without a valid reading are left out (the chart shows a gap).
   * Computed by the database over the (unit, t) index, so a year of one reading a minute never
   * comes into memory.
   *
   * @throws IllegalArgumentException if {@code width} is not positive or {@code from > to}
   */
  public List<ChartBucket> chartBuckets(String unit, long from, long to, long width) {
    Checks.require(width > 0, "width", width, "be positive");
    Checks.require(from <= to, "from", from, "not be after to (" + to + ")");
    return read(c -> {
      // integer division on both databases: t, from and width are whole numbers (BIGINT)
      PreparedStatement s = c.prepare("SELECT (t - ?) / ? AS bucket, MIN(value), MAX(value), AVG(value),"
          + " COUNT(value) FROM readings WHERE unit = ? AND t >= ? AND t <= ? AND value IS NOT NULL"
          + " GROUP BY bucket ORDER BY bucket");
      bind(s, from, width, unit, from, to);
      List<ChartBucket> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(new ChartBucket(rs.getLong(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getLong(5)));
        }
      }
      return out;
    });
  }

  /** The newest {@code limit} alarms of {@code unit} (warnings included), newest first. */
  public List<AlarmRow> recentAlarmsOfUnit(String unit, int limit) {
    return read(c -> {
      PreparedStatement s = c.prepare(ALARM_SELECT + " WHERE unit = ? ORDER BY id DESC LIMIT ?");
      bind(s, unit, limit);
      List<AlarmRow> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(alarm(rs));
        }
      }
      return out;
    });
  }

  /**
   * The unit's alarms whose condition overlapped [{@code from}, {@code to}) of measurement time,
   * oldest first, at most {@code limit}.
   */
  public List<AlarmRow> alarmsOfUnit(String unit, long from, long to, int limit) {
    return read(c -> {
      PreparedStatement s = c.prepare(ALARM_SELECT
          + " WHERE unit = ? AND started_at < ? AND (cleared_at IS NULL OR cleared_at >= ?) ORDER BY started_at, id"
          + " LIMIT ?");
      bind(s, unit, to, from, limit);
      List<AlarmRow> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(alarm(rs));
        }
      }
      return out;
    });
  }

  /**
   * Alarms, newest first, at most {@code limit}; only those whose condition is on when
   * {@code activeOnly} (see {@link #openAlarms} for those not closed).
   */
  public List<AlarmRow> alarms(boolean activeOnly, int limit) {
    return read(c -> {
      PreparedStatement s = c.prepare(ALARM_SELECT + (activeOnly ? " WHERE cleared_at IS NULL" : "") + " ORDER BY id DESC LIMIT ?");
      s.setInt(1, limit);
      List<AlarmRow> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(alarm(rs));
        }
      }
      return out;
    });
  }

  /** Units with an alarm whose condition is on and that is not closed (warnings not counted). */
  public Set<String> unitsInAlarm() {
    return unitsWithActive(AlarmKind.Severity.ALARM);
  }

  /** Units with a warning whose condition is on and that is not closed. */
  public Set<String> unitsWithWarning() {
    return unitsWithActive(AlarmKind.Severity.WARNING);
  }

  private Set<String> unitsWithActive(AlarmKind.Severity severity) {
    String kinds = java.util.Arrays.stream(AlarmKind.values()).filter(k -> k.severity() == severity)
        .map(k -> "'" + k.name() + "'").collect(java.util.stream.Collectors.joining(", "));
    return read(c -> {
      PreparedStatement s = c.prepare("SELECT DISTINCT unit FROM alarms WHERE cleared_at IS NULL AND closed_at IS NULL AND kind IN ("
              + kinds + ")");
      Set<String> out = new LinkedHashSet<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    });
  }

  /** What is known of an agent. */
  public Optional<AgentRow> agent(String site, String agent) {
    return read(c -> {
      PreparedStatement s = c.prepare(AGENT_SELECT + " WHERE site = ? AND agent = ?");
      s.setString(1, site);
      s.setString(2, agent);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(agentRow(rs)) : Optional.<AgentRow>empty();
      }
    });
  }

  /** What is known of every agent that was ever heard from, by site and agent id. */
  public List<AgentRow> agents() {
    return read(c -> {
      PreparedStatement s = c.prepare(AGENT_SELECT + " ORDER BY site, agent");
      List<AgentRow> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(agentRow(rs));
        }
      }
      return out;
    });
  }

  /** The outbox health of every agent that was ever heard from, by site and agent id. */
  public List<AgentRow.OutboxHealth> agentOutboxHealth() {
    return read(c -> {
      PreparedStatement s = c.prepare("SELECT site, agent, oldest_unsent, readings_dropped FROM agents ORDER BY site, agent");
      List<AgentRow.OutboxHealth> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(new AgentRow.OutboxHealth(rs.getString(1), rs.getString(2), optionalLong(rs, 3),
              optionalLong(rs, 4)));
        }
      }
      return out;
    });
  }

  /** The engine state of {@code unit}, as last committed. */
  public Optional<UnitState> unitState(String unit) {
    Kept kept = deferNanos >= 0 ? states.get(unit) : null;
    UnitStateRow committed = kept != null ? kept.committed : null;
    if (committed != null) {
      return Optional.of(committed.state());
    }
    return read(c -> {
      PreparedStatement s = c.prepare("SELECT state FROM unit_state WHERE unit = ?");
      s.setString(1, unit);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(unitStateOf(rs.getString(1))) : Optional.<UnitState>empty();
      }
    });
  }

  /** How many readings are stored for {@code site}/{@code agent}. */
  public long readingCount(String site, String agent) {
    return read(c -> {
      PreparedStatement s = c.prepare("SELECT COUNT(*) FROM readings WHERE site = ? AND agent = ?");
      s.setString(1, site);
      s.setString(2, agent);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  // ---- web users (V7): reads ----

  /** The user called {@code name}, if there is one. */
  public Optional<UserRow> user(String name) {
    return read(c -> {
      PreparedStatement s = c.prepare(USER_SELECT + " WHERE name = ?");
      s.setString(1, name);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(userRow(rs)) : Optional.<UserRow>empty();
      }
    });
  }

  /** The user whose e-mail address is {@code email} (whatever its case), if there is one (V9). */
  public Optional<UserRow> userByEmail(String email) {
    return read(c -> {
      PreparedStatement s = c.prepare(USER_SELECT + " WHERE lower(email) = lower(?)");
      s.setString(1, email);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(userRow(rs)) : Optional.<UserRow>empty();
      }
    });
  }

  /** Every user, by name. */
  public List<UserRow> users() {
    return read(c -> {
      PreparedStatement s = c.prepare(USER_SELECT + " ORDER BY name");
      List<UserRow> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(userRow(rs));
        }
      }
      return out;
    });
  }

  private static final String USER_SELECT =
      "SELECT name, role, language, password_hash, created_at, email FROM users";

  private static UserRow userRow(ResultSet rs) throws SQLException {
    return new UserRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
        Optional.ofNullable(rs.getString(6)));
  }

  // ---- alarm lifecycle and audit trail: reads (issue 4) ----

  /** Alarm {@code id}, if it exists. */
  public Optional<AlarmRow> alarm(long id) {
    return read(c -> {
      PreparedStatement s = c.prepare(ALARM_SELECT + " WHERE id = ?");
      s.setLong(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(alarm(rs)) : Optional.<AlarmRow>empty();
      }
    });
  }

  /** Alarms not closed yet (whatever their condition), newest first, at most {@code limit}. */
  public List<AlarmRow> openAlarms(int limit) {
    return read(c -> {
      PreparedStatement s = c.prepare(ALARM_SELECT + " WHERE closed_at IS NULL ORDER BY id DESC LIMIT ?");
      s.setInt(1, limit);
      List<AlarmRow> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(alarm(rs));
        }
      }
      return out;
    });
  }

  /** The transitions of alarm {@code id}, oldest first. */
  public List<AlarmHistoryRow> alarmHistory(long id) {
    return read(c -> {
      PreparedStatement s = c.prepare("SELECT alarm_id, at, event, actor, comment, recorded_at"
          + " FROM alarm_history WHERE alarm_id = ? ORDER BY id");
      s.setLong(1, id);
      List<AlarmHistoryRow> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(new AlarmHistoryRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
              Optional.ofNullable(rs.getString(5)), rs.getLong(6)));
        }
      }
      return out;
    });
  }

  /** The newest audit entry whose action is {@code action}. */
  public Optional<AuditRow> lastAuditEntry(String action) {
    return read(c -> {
      PreparedStatement s = c.prepare(AUDIT_SELECT + " WHERE action = ? ORDER BY seq DESC LIMIT 1");
      s.setString(1, action);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(audit(rs)) : Optional.<AuditRow>empty();
      }
    });
  }

  /** Audit entries with {@code seq > after}, in order, at most {@code limit}. */
  public List<AuditRow> auditEntries(long after, int limit) {
    return read(c -> {
      PreparedStatement s = c.prepare(AUDIT_SELECT + " WHERE seq > ? ORDER BY seq, " + auditOrder + " LIMIT ?");
      s.setLong(1, after);
      s.setInt(2, limit);
      List<AuditRow> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(audit(rs));
        }
      }
      return out;
    });
  }

  /** The audit entries {@code q} asks for, newest first (highest seq), at most {@code limit}. */
  public List<AuditRow> auditSearch(AuditQuery q, int limit) {
    StringBuilder where = new StringBuilder(" WHERE 1 = 1");
    List<Object> params = new ArrayList<>();
    q.from().ifPresent(t -> {
      where.append(" AND time >= ?");
      params.add(t);
    });
    q.to().ifPresent(t -> {
      where.append(" AND time < ?");
      params.add(t);
    });
    q.actor().ifPresent(a -> {
      where.append(" AND actor = ?");
      params.add(a);
    });
    q.action().ifPresent(a -> {
      where.append(" AND action = ?");
      params.add(a);
    });
    q.subject().ifPresent(v -> {
      // canonical JSON: an alarm entry's details hold "unit":"ID" exactly so
      where.append(" AND (subject = ? OR subject LIKE ? ESCAPE '!' OR subject = ? OR details LIKE ? ESCAPE '!')");
      String like = v.replace("!", "!!").replace("%", "!%").replace("_", "!_");
      params.add(v);
      params.add(like + "/%");
      params.add("unit/" + v);
      params.add("%\"unit\":\"" + like.replace("\"", "\\\"") + "\"%");
    });
    q.beforeSeq().ifPresent(seq -> {
      where.append(" AND seq < ?");
      params.add(seq);
    });
    return read(c -> {
      PreparedStatement s = c.prepare(AUDIT_SELECT + where + " ORDER BY seq DESC, " + auditOrder + " DESC LIMIT ?");
      for (int i = 0; i < params.size(); i++) {
        s.setObject(i + 1, params.get(i));
      }
      s.setInt(params.size() + 1, limit);
      List<AuditRow> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(audit(rs));
        }
      }
      return out;
    });
  }

  /** The newest audit entry (highest seq), if any. */
  public Optional<AuditRow> auditHead() {
    return read(c -> {
      PreparedStatement s = c.prepare(AUDIT_SELECT + " ORDER BY seq DESC, " + auditOrder + " DESC LIMIT 1");
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(audit(rs)) : Optional.<AuditRow>empty();
      }
    });
  }

  /** {@link #scanAuditTrail(Database, Consumer)} of the SQLite file {@code file}. */
  public static void scanAuditTrail(Path file, Consumer<AuditRow> each) {
    scanAuditTrail(Database.sqlite(file), each);
  }

  /**
   * Passes every audit entry of {@code database} to {@code each}, ordered by seq (then by the
   * order rows were inserted), on a connection of its own that cannot write: safe beside a
   * running gateway, and it never creates or migrates a database.
   *
   * @throws StoreException if the database does not exist, has no audit trail, or cannot be read
   */
  public static void scanAuditTrail(Database database, Consumer<AuditRow> each) {
    Optional<Path> file = database.file();
    if (file.isPresent() && !Files.isRegularFile(file.get())) {
      throw new StoreException("database [" + database.name() + "] does not exist.", null);
    }
    Dialect dialect = database.dialect();
    try (Connection c = dialect.connect(database, Dialect.Use.SCAN)) {
      try (ResultSet t = c.getMetaData().getTables(null, c.getSchema(), "audit_trail", new String[] {"TABLE"})) {
        if (!t.next()) {
          throw new StoreException("database [" + database.name() + "] has no audit trail (not a gateway database,"
              + " or one written by an older gateway: start the current gateway once to upgrade it).", null);
        }
      }
      try (Statement st = c.createStatement()) {
        st.setFetchSize(SCAN_FETCH_SIZE);
        try (ResultSet rs = st.executeQuery(AUDIT_SELECT + " ORDER BY seq, " + dialect.auditInsertOrder())) {
          while (rs.next()) {
            each.accept(audit(rs));
          }
        }
      }
      if (!c.getAutoCommit()) {
        c.rollback(); // it only read
      }
    } catch (SQLException e) {
      throw new StoreException("database [" + database.name() + "] cannot be read: " + e.getMessage(), e);
    }
  }

  // ---- reports (V8): signatures and an alarm's notifications ----

  /** The signatures of the report of {@code unit} for {@code period} (a month, 2026-11), oldest first. */
  public List<SignatureRow> signatures(String unit, String period) {
    return read(c -> {
      PreparedStatement s = c.prepare("SELECT id, unit, period, content_hash, signed_by, signed_at, statement, comment,"
          + " audit_seq FROM report_signatures WHERE unit = ? AND period = ? ORDER BY id");
      bind(s, unit, period);
      List<SignatureRow> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(new SignatureRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.getLong(6), rs.getString(7), Optional.ofNullable(rs.getString(8)), rs.getLong(9)));
        }
      }
      return out;
    });
  }

  /** The notifications queued for alarm {@code id} (raised, escalated, cleared), in the order queued. */
  public List<DeliveryRow> alarmDeliveries(long alarmId) {
    return read(c -> {
      PreparedStatement s = c.prepare("SELECT event, level, channel, target, created_at, delivered_at, dead_at,"
          + " attempts FROM notifications WHERE alarm_id = ? ORDER BY id");
      s.setLong(1, alarmId);
      List<DeliveryRow> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(new DeliveryRow(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getLong(5),
              optionalLong(rs, 6), optionalLong(rs, 7), rs.getInt(8)));
        }
      }
      return out;
    });
  }

  private static final String AUDIT_SELECT =
      "SELECT seq, time, actor, action, subject, details, prev_hash, hash FROM audit_trail";

  private static AuditRow audit(ResultSet rs) throws SQLException {
    return new AuditRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
        rs.getString(6), rs.getString(7), rs.getString(8));
  }

  /** Closes both connections without saving the states kept in memory: a crash, for tests. */
  void abandon() {
    deferNanos = -1;
    close();
  }

  /** Closes the connections; the store cannot be used afterwards. */
  @Override
  public void close() {
    if (deferNanos >= 0) {
      try {
        saveUnitStates();
      } catch (RuntimeException e) { // the next start rebuilds them from the readings
        LOG.warn("The units' engine states could not be saved at the stop ({}); the next start rebuilds them from"
            + " the stored readings", e.getMessage());
      }
      deferNanos = -1;
    }
    if (checkpointer != null) {
      checkpointer.close();
    }
    writeLock.lock();
    readLock.lock();
    try {
      writer.close();
      reader.close();
    } finally {
      readLock.unlock();
      writeLock.unlock();
    }
  }

  private static final String NOTIFICATION_SELECT = "SELECT id, alarm_id, event, level, channel, target,"
      + " created_at, due_at, attempts, last_error, dead_at FROM notifications";

  /** Queued deliveries due at {@code now} (neither delivered nor dead), oldest due first, at most {@code limit}. */
  public List<NotificationRow> dueNotifications(long now, int limit) {
    return read(c -> {
      PreparedStatement s = c.prepare(NOTIFICATION_SELECT
          + " WHERE delivered_at IS NULL AND dead_at IS NULL AND due_at <= ? ORDER BY due_at, id LIMIT ?");
      bind(s, now, limit);
      return notifications(s);
    });
  }

  /** The newest {@code limit} dead letters, oldest first. */
  public List<NotificationRow> deadLetters(int limit) {
    return read(c -> {
      PreparedStatement s = c.prepare("SELECT * FROM (" + NOTIFICATION_SELECT
          + " WHERE dead_at IS NOT NULL ORDER BY dead_at DESC, id DESC LIMIT ?) newest ORDER BY dead_at, id");
      bind(s, limit);
      return notifications(s);
    });
  }

  /** How many deliveries wait for their first attempt or a retry. */
  public long pendingNotifications() {
    return read(c -> {
      PreparedStatement s = c.prepare("SELECT COUNT(*) FROM notifications WHERE delivered_at IS NULL AND dead_at IS NULL");
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0L;
      }
    });
  }

  /** The escalation steps taken for an alarm so far, and when the next is due. */
  public Optional<Escalating> escalation(long alarmId) {
    return read(c -> {
      PreparedStatement s = c.prepare("SELECT id, escalation_level, escalation_due_at FROM alarms WHERE id = ?");
      bind(s, alarmId);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.<Escalating>empty();
        }
        long due = rs.getLong(3);
        return Optional.of(new Escalating(rs.getLong(1), rs.getInt(2), rs.wasNull() ? -1 : due));
      }
    });
  }

  private static List<NotificationRow> notifications(PreparedStatement s) throws SQLException {
    List<NotificationRow> out = new ArrayList<>();
    try (ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        out.add(new NotificationRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4), rs.getString(5),
            rs.getString(6), rs.getLong(7), rs.getLong(8), rs.getInt(9), Optional.ofNullable(rs.getString(10)),
            optionalLong(rs, 11)));
      }
    }
    return out;
  }

  // ---- helpers ----

  private static final String AGENT_SELECT =
      "SELECT site, agent, acked_seq, last_seen, online, version, outbox_depth FROM agents";

  private static final String ALARM_SELECT = "SELECT id, site, unit, kind, started_at, raised_at,"
      + " cleared_at, trigger_value, limit_value, peak, late, acknowledged_at, acknowledged_by, ack_comment,"
      + " closed_at, closed_by, root_cause, disposition FROM alarms";

  private interface SqlWork<T> {
    T run() throws SQLException;
  }

  private interface SqlRead<T> {
    T run(Link c) throws SQLException;
  }

  private static <T> T sql(SqlWork<T> work) {
    try {
      return work.run();
    } catch (SQLException e) {
      throw new StoreException("database operation failed: " + e.getMessage(), e);
    }
  }

  /**
   * Runs a read on the reader connection. A read is tried once more on a new connection when the
   * database had dropped the old one: reads change nothing, so the API stays up across a
   * PostgreSQL restart. (Writes are not retried: a commit whose answer was lost may have happened.)
   */
  private <T> T read(SqlRead<T> work) {
    readLock.lock();
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          return work.run(reader);
        } catch (SQLException | RuntimeException e) {
          if (!reader.keepAfter(e) && attempt == 1) {
            continue;
          }
          if (e instanceof SQLException sql) {
            throw new StoreException("database read failed: " + sql.getMessage(), sql);
          }
          throw (RuntimeException) e;
        }
      }
    } finally {
      readLock.unlock();
    }
  }

  /** Binds {@code params} to the statement's placeholders, in order. */
  private static void bind(PreparedStatement s, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      s.setObject(i + 1, params[i]);
    }
  }

  /** The first column of the first row, if there is one. */
  private static OptionalLong queryLong(PreparedStatement s, Object... params) {
    return sql(() -> {
      bind(s, params);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() && rs.getObject(1) != null ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
      }
    });
  }

  /** Runs an INSERT/UPDATE/DELETE; the number of rows it changed. */
  private static int update(PreparedStatement s, Object... params) {
    return sql(() -> {
      bind(s, params);
      return s.executeUpdate();
    });
  }

  private static final String WIRE_READING_SELECT = "SELECT seq, t, unit, sensor, value, quality, synced FROM readings";

  /** A row of {@link #WIRE_READING_SELECT} as the engine reads it. */
  private static Reading wireReading(ResultSet rs) throws SQLException {
    double value = rs.getDouble(5);
    boolean noValue = rs.wasNull();
    Quality quality = Quality.fromWire(rs.getString(6)).orElse(Quality.DISCONNECTED);
    return new Reading(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), noValue ? Double.NaN : value,
        quality, rs.getInt(7) == 1);
  }

  private static final String SAVE_STATE = "INSERT INTO unit_state (unit, state, updated_at, site, agent, seq)"
      + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (unit) DO UPDATE SET state = excluded.state,"
      + " updated_at = excluded.updated_at, site = excluded.site, agent = excluded.agent, seq = excluded.seq";

  private static void bindState(PreparedStatement s, UnitStateRow row) throws SQLException {
    s.setString(1, row.unit());
    s.setString(2, UnitStateJson.write(row.state()));
    s.setLong(3, row.updatedAt());
    if (row.includes().isPresent()) {
      UnitStateRow.Includes i = row.includes().get();
      s.setString(4, i.site());
      s.setString(5, i.agent());
      s.setLong(6, i.seq());
    } else {
      s.setNull(4, Types.VARCHAR);
      s.setNull(5, Types.VARCHAR);
      s.setNull(6, Types.BIGINT);
    }
  }

  /** A row of {@code SELECT state, site, agent, seq, updated_at FROM unit_state}. */
  private static UnitStateRow rowOf(String unit, ResultSet rs) throws SQLException {
    UnitState state = unitStateOf(rs.getString(1));
    String site = rs.getString(2);
    String agent = rs.getString(3);
    long seq = rs.getLong(4);
    boolean noSeq = rs.wasNull();
    Optional<UnitStateRow.Includes> includes = site == null || agent == null || noSeq ? Optional.empty()
        : Optional.of(new UnitStateRow.Includes(site, agent, seq));
    return new UnitStateRow(unit, state, includes, rs.getLong(5));
  }

  /** A saved engine state; a damaged one is a failure of the database, as any damaged row. */
  private static UnitState unitStateOf(String json) {
    try {
      return UnitStateJson.read(json);
    } catch (DamagedStateException e) {
      throw new StoreException("stored unit state cannot be read: " + json, e);
    }
  }

  private static Optional<String> queryString(PreparedStatement s, String a) {
    return sql(() -> {
      s.setString(1, a);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
      }
    });
  }

  private static void setDouble(PreparedStatement s, int i, double d) throws SQLException {
    if (Double.isFinite(d)) {
      s.setDouble(i, d);
    } else {
      s.setNull(i, Types.DOUBLE);
    }
  }

  private static OptionalDouble optionalDouble(ResultSet rs, int i) throws SQLException {
    double d = rs.getDouble(i);
    return rs.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(d);
  }

  private static ReadingRow reading(ResultSet rs) throws SQLException {
    return new ReadingRow(rs.getLong(1), rs.getLong(2), rs.getString(3), optionalDouble(rs, 4),
        Quality.fromWire(rs.getString(5)).orElse(Quality.DISCONNECTED), optionalDouble(rs, 6), rs.getInt(7) == 1,
        rs.getInt(8) == 1);
  }

  private static AgentRow agentRow(ResultSet rs) throws SQLException {
    return new AgentRow(rs.getString(1), rs.getString(2), rs.getLong(3), optionalLong(rs, 4), rs.getInt(5) == 1,
        Optional.ofNullable(rs.getString(6)), optionalLong(rs, 7));
  }

  private static OptionalLong optionalLong(ResultSet rs, int i) throws SQLException {
    long v = rs.getLong(i);
    return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
  }

  private static AlarmRow alarm(ResultSet rs) throws SQLException {
    OptionalLong clearedAt = optionalLong(rs, 7);
    OptionalLong ackAt = optionalLong(rs, 12);
    Optional<Acknowledgement> ack = ackAt.isPresent()
        ? Optional.of(new Acknowledgement(rs.getString(13), ackAt.getAsLong(), rs.getString(14)))
        : Optional.empty();
    OptionalLong closedAt = optionalLong(rs, 15);
    Optional<Closure> closed = Optional.empty();
    if (closedAt.isPresent()) {
      String disposition = rs.getString(18);
      Disposition d = Disposition.fromWire(disposition).orElseThrow(() -> new SQLException(
          "alarm has an unknown disposition [" + disposition + "]"));
      closed = Optional.of(new Closure(rs.getString(16), closedAt.getAsLong(), rs.getString(17), d));
    }
    return new AlarmRow(rs.getLong(1), rs.getString(2), rs.getString(3), AlarmKind.valueOf(rs.getString(4)),
        rs.getLong(5), rs.getLong(6), clearedAt, optionalDouble(rs, 8), optionalDouble(rs, 9),
        optionalDouble(rs, 10), rs.getInt(11) == 1, ack, closed);
  }
}
