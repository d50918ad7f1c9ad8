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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.sangfroid.agent.clock.Synchronisation;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.wire.Quality;
import org.sangfroid.core.wire.Reading;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The agent's durable record of readings, in one SQLite file ({@code {dataDir}/outbox.db}, WAL
 * mode, {@code synchronous=FULL}). Readings get strictly increasing sequence numbers that are
 * never reused ({@code AUTOINCREMENT}), even after every row was deleted and the agent
 * restarted. Rows leave only through {@link #deleteUpTo(long)}, which the publisher calls when
 * the gateway acknowledges; a broker's PUBACK is never enough.
 *
 * <p>Bounded by {@code maxReadings} rows. When an append would pass it, the same transaction
 * (the tick's one fsync) first drops the oldest readings that are not part of an excursion
 * period, then, only if none of those is left, the oldest readings of excursion periods; the
 * readings of the tick being stored are never dropped. A reading is part of an excursion period
 * when its unit's tick is an excursion ({@link BeyondRules}: a probe fault, or a temperature
 * beyond a rule of the unit's profile), or when it is the unit's tick just before or just after
 * one, so every kept period keeps its start and its end. Rows are marked when they are written
 * (column {@code period}), so dropping is an indexed delete. The number dropped is kept in the
 * database ({@link #dropped()}) and logged at WARN, at most once a minute, with the measurement
 * times it spans. Dropped rows leave holes in {@code seq}: the publisher tells the gateway which.
 *
 * <p>Never recreated silently: {@link #open} checks the file first and moves a damaged one aside
 * ({@link Recovery}); the new outbox then numbers after every seq the old one may have given,
 * which {@code outbox.seq} keeps outside the database ({@link SeqReservation}).
 *
 * <p>Thread-safe: one connection, methods serialised on this object. All methods block on
 * disk I/O; {@link #append(List)} waits for one fsync.
 */
public final class Outbox implements AutoCloseable {
  /** The file name inside the data folder. */
  public static final String FILE_NAME = "outbox.db";
  private static final Logger log = LoggerFactory.getLogger(Outbox.class);

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
  /** 1: part of an excursion period, dropped only after every other reading. */
  private static final String PERIOD_COLUMN = "ALTER TABLE outbox ADD COLUMN period INTEGER NOT NULL DEFAULT 0";
  private static final String PERIOD_INDEX = "CREATE INDEX IF NOT EXISTS outbox_period ON outbox (period, seq)";
  /**
   * Calibration and clock (issue 3): {@code raw}, the value before calibration (NULL when none
   * changed it); {@code boot} and {@code uptime}, the monotonic time of a reading taken before the
   * clock was synchronised (NULL otherwise). {@code synced}: 0 not synchronised, 1 synchronised,
   * {@link #SYNCED_CORRECTED} time corrected at synchronisation.
   */
  private static final List<String> CLOCK_AND_CALIBRATION_COLUMNS = List.of(
      "ALTER TABLE outbox ADD COLUMN raw REAL",
      "ALTER TABLE outbox ADD COLUMN boot INTEGER",
      "ALTER TABLE outbox ADD COLUMN uptime INTEGER");
  private static final String UNSYNCED_INDEX =
      "CREATE INDEX IF NOT EXISTS outbox_unsynced ON outbox (boot, seq) WHERE synced = 0";
  private static final int SYNCED_CORRECTED = 2;
  /** Counters that must survive a restart: readings dropped, by kind. */
  private static final String META = """
      CREATE TABLE IF NOT EXISTS outbox_meta (
        name  TEXT    PRIMARY KEY,
        value INTEGER NOT NULL
      )""";
  private static final String DROPPED_NORMAL = "dropped_normal";
  private static final String DROPPED_EXCURSION = "dropped_excursion";

  /** The default bound: 30 days of 8 probes at one reading a minute (345,600), rounded up. */
  public static final long DEFAULT_MAX_READINGS = 350_000;
  /** The smallest bound allowed. */
  public static final long MIN_MAX_READINGS = 1_000;
  /** The largest bound allowed (about 3.7 GB of SD card at ~75 bytes a reading). */
  public static final long MAX_MAX_READINGS = 50_000_000;
  /** Drops are logged at most this often; the drops in between are added to the next line. */
  static final Duration DROP_LOG_INTERVAL = Duration.ofMinutes(1);
  /** Rows read back at open to learn each unit's last tick. */
  private static final int RESTORE_ROWS = 4096;
  /** Seqs are reserved in outbox.seq this many ticks ahead: one extra fsync per this many ticks. */
  static final int RESERVE_TICKS = 100;

  /** A unit's last stored tick: its seq span and whether it is (part of) an excursion period. */
  private record UnitTick(long time, long firstSeq, long lastSeq, boolean excursion, boolean marked) {}

  /** Drops not logged yet. */
  private static final class DropLog {
    long normal;
    long excursion;
    long from = Long.MAX_VALUE;
    long to = Long.MIN_VALUE;
    long lastLogged = Long.MIN_VALUE;

    boolean pending() {
      return normal + excursion > 0;
    }
  }

  private final Path file;
  private final Connection db;
  private final long maxReadings;
  private final Predicate<Measurement> excursion;
  private final Clock clock;
  private final AtomicLong depth = new AtomicLong();
  private final AtomicLong droppedNormal = new AtomicLong();
  private final AtomicLong droppedExcursion = new AtomicLong();
  private final Map<String, UnitTick> lastTicks = new HashMap<>();
  private final DropLog dropLog = new DropLog();
  private final SeqReservation reservation;
  private final Optional<Recovery> recovery;
  private boolean closed;

  private Outbox(Path file, Connection db, long maxReadings, Predicate<Measurement> excursion, Clock clock,
      SeqReservation reservation, Optional<Recovery> recovery) {
    this.file = file;
    this.db = db;
    this.maxReadings = maxReadings;
    this.excursion = excursion;
    this.clock = clock;
    this.reservation = reservation;
    this.recovery = recovery;
  }

  /**
   * Opens (creating if needed) {@code {dataDir}/outbox.db} with the default bound
   * ({@link #DEFAULT_MAX_READINGS}) and only probe faults counting as excursions.
   *
   * @throws OutboxException if the folder or database cannot be created or opened
   */
  public static Outbox open(Path dataDir) {
    return open(dataDir, DEFAULT_MAX_READINGS, BeyondRules.faultsOnly(), Clock.systemUTC());
  }

  /**
   * Opens (creating if needed) {@code {dataDir}/outbox.db}, holding at most {@code maxReadings}
   * rows. If it holds more (the bound was lowered), the next append drops the excess.
   *
   * <p>A damaged file is moved aside and a new outbox started (logged at ERROR; see
   * {@link #recovery()}), numbered after the highest seq that {@code outbox.seq} or the damaged
   * file shows, so that no seq the gateway may hold is given again.
   *
   * @param excursion which measurements are excursions (see {@link BeyondRules})
   * @param clock paces the WARN lines about dropped readings; names a damaged file moved aside
   * @throws IllegalArgumentException if {@code maxReadings} is outside
   *     {@link #MIN_MAX_READINGS}..{@link #MAX_MAX_READINGS}
   * @throws OutboxException if the folder or database cannot be created, checked or opened
   */
  public static Outbox open(Path dataDir, long maxReadings, Predicate<Measurement> excursion, Clock clock) {
    Checks.require(maxReadings >= MIN_MAX_READINGS && maxReadings <= MAX_MAX_READINGS, "outbox.maxReadings",
        maxReadings, "be from " + MIN_MAX_READINGS + " to " + MAX_MAX_READINGS);
    Checks.requireNonNull("excursion", excursion);
    Checks.requireNonNull("clock", clock);
    Path file = dataDir.resolve(FILE_NAME);
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new OutboxException("Outbox folder " + dataDir + " cannot be created: " + e.getMessage(), e);
    }
    SeqReservation reservation = SeqReservation.read(dataDir);
    Optional<Recovery> recovery = Integrity.prepare(file, reservation, clock);
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
        if (!hasColumn(db, "period")) {
          // An outbox from before the bound: its rows are unmarked, so they go first.
          st.executeUpdate(PERIOD_COLUMN);
        }
        st.executeUpdate(PERIOD_INDEX);
        if (!hasColumn(db, "raw")) {
          for (String column : CLOCK_AND_CALIBRATION_COLUMNS) {
            st.executeUpdate(column);
          }
        }
        st.executeUpdate(UNSYNCED_INDEX);
        st.executeUpdate(META);
      }
      Outbox outbox = new Outbox(file, db, maxReadings, excursion, clock, reservation, recovery);
      outbox.depth.set(outbox.count());
      outbox.droppedNormal.set(outbox.meta(DROPPED_NORMAL));
      outbox.droppedExcursion.set(outbox.meta(DROPPED_EXCURSION));
      outbox.restoreLastTicks();
      db.setAutoCommit(false);
      recovery.ifPresent(r -> outbox.continueAfter(r.continuedAfter()));
      return outbox;
    } catch (SQLException e) {
      closeQuietly(db);
      throw new OutboxException("Outbox " + file + " cannot be opened: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(db);
      throw e;
    }
  }

  /** The database file. */
  public Path file() {
    return file;
  }

  /**
   * Stores one whole sampling tick in one transaction (one fsync) and returns the sequence
   * numbers given to the measurements, in the same order. When the outbox would then hold more
   * than its bound, the same transaction drops older readings (see the class comment).
   */
  public synchronized List<Long> append(List<Measurement> tick) {
    ensureOpen();
    if (tick.isEmpty()) {
      return List.of();
    }
    // Which units are in excursion in this tick: all their readings of the tick are kept.
    Map<String, Boolean> unitExcursion = new LinkedHashMap<>();
    for (Measurement m : tick) {
      unitExcursion.merge(m.unit(), excursion.test(m), Boolean::logicalOr);
    }
    List<Long> seqs = new ArrayList<>(tick.size());
    Map<String, UnitTick> ticks = new HashMap<>();
    Drops drops;
    try (PreparedStatement insert = db.prepareStatement("INSERT INTO outbox (t, unit, sensor, value, quality,"
        + " synced, period, raw, boot, uptime) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq")) {
      for (Measurement m : tick) {
        boolean inExcursion = unitExcursion.get(m.unit());
        UnitTick previous = lastTicks.get(m.unit());
        // The tick after an excursion ends the period: keep it with the period.
        boolean marked = inExcursion || (previous != null && previous.excursion());
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
        insert.setInt(7, marked ? 1 : 0);
        bindClockAndCalibration(insert, m);
        long seq;
        try (ResultSet rs = insert.executeQuery()) {
          rs.next();
          seq = rs.getLong(1);
        }
        seqs.add(seq);
        UnitTick t = ticks.get(m.unit());
        ticks.put(m.unit(), t == null
            ? new UnitTick(m.time(), seq, seq, inExcursion, marked)
            : new UnitTick(t.time(), t.firstSeq(), seq, inExcursion, marked));
      }
      for (Map.Entry<String, Boolean> e : unitExcursion.entrySet()) {
        UnitTick previous = lastTicks.get(e.getKey());
        if (e.getValue() && previous != null && !previous.marked()) {
          markPeriod(e.getKey(), previous);  // the tick before an excursion starts the period
        }
      }
      long excess = depth.get() + tick.size() - maxReadings;
      drops = excess > 0 ? dropOldest(excess, seqs.get(0)) : Drops.NONE;
      // Before the commit: no seq is on the card unless outbox.seq covers it.
      reservation.cover(seqs.get(seqs.size() - 1), (long) RESERVE_TICKS * tick.size());
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
    lastTicks.putAll(ticks);
    depth.addAndGet(tick.size() - drops.total());
    if (drops.total() > 0) {
      droppedNormal.addAndGet(drops.normal());
      droppedExcursion.addAndGet(drops.excursion());
      logDrops(drops, false);
    }
    return List.copyOf(seqs);
  }

  private static void bindClockAndCalibration(PreparedStatement insert, Measurement m) throws SQLException {
    if (m.raw().isPresent()) {
      insert.setDouble(8, m.raw().getAsDouble());
    } else {
      insert.setNull(8, Types.REAL);
    }
    if (m.bootTime().isPresent()) {
      insert.setLong(9, m.bootTime().get().boot());
      insert.setLong(10, m.bootTime().get().millis());
    } else {
      insert.setNull(9, Types.INTEGER);
      insert.setNull(10, Types.INTEGER);
    }
  }

  /**
   * Corrects the time of every reading still held that was taken before the clock was
   * synchronised, on the same boot as {@code sync}: {@code t = sync.wall − (sync uptime − its
   * uptime)}, and marks it synchronised and corrected. One transaction; no {@code seq} changes, so
   * the order of the outbox does not either. Readings of other boots keep their times. (The
   * in-memory last tick of each unit keeps its old time: it only groups the rows of one tick,
   * which all move together.)
   *
   * @return how many readings were corrected
   */
  public synchronized int correctTimes(Synchronisation sync) {
    ensureOpen();
    try (PreparedStatement up = db.prepareStatement("UPDATE outbox SET t = MAX(0, ? - (? - uptime)), synced = ?"
        + " WHERE synced = 0 AND boot = ? AND uptime IS NOT NULL AND uptime <= ?")) {
      up.setLong(1, sync.wall());
      up.setLong(2, sync.at().millis());
      up.setInt(3, SYNCED_CORRECTED);
      up.setLong(4, sync.at().boot());
      up.setLong(5, sync.at().millis());
      int n = up.executeUpdate();
      db.commit();
      if (n > 0) {
        log.info("Corrected the time of {} readings taken before the clock was synchronised", n);
      }
      return n;
    } catch (SQLException e) {
      rollback();
      throw new OutboxException("Outbox " + file + ": readings taken before the clock was synchronised cannot be"
          + " corrected: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      rollback();
      throw e;
    }
  }

  /** What one append dropped: counts by kind and the measurement times they span. */
  private record Drops(long normal, long excursion, long from, long to) {
    static final Drops NONE = new Drops(0, 0, Long.MAX_VALUE, Long.MIN_VALUE);

    long total() {
      return normal + excursion;
    }
  }

  private void markPeriod(String unit, UnitTick tick) throws SQLException {
    try (PreparedStatement up = db.prepareStatement(
        "UPDATE outbox SET period = 1 WHERE seq >= ? AND seq <= ? AND unit = ?")) {
      up.setLong(1, tick.firstSeq());
      up.setLong(2, tick.lastSeq());
      up.setString(3, unit);
      up.executeUpdate();
    }
  }

  /**
   * Deletes up to {@code excess} rows below {@code belowSeq}: the oldest outside excursion
   * periods, then, if that is not enough, the oldest inside them. Part of the caller's
   * transaction.
   */
  private Drops dropOldest(long excess, long belowSeq) throws SQLException {
    long[] counts = new long[2];
    long from = Long.MAX_VALUE;
    long to = Long.MIN_VALUE;
    for (int period = 0; period <= 1 && excess > 0; period++) {
      long n;
      long lastSeq;
      try (PreparedStatement pick = db.prepareStatement("SELECT COUNT(*), MAX(seq), MIN(t), MAX(t) FROM"
          + " (SELECT seq, t FROM outbox WHERE period = ? AND seq < ? ORDER BY seq LIMIT ?)")) {
        pick.setInt(1, period);
        pick.setLong(2, belowSeq);
        pick.setLong(3, excess);
        try (ResultSet rs = pick.executeQuery()) {
          rs.next();
          n = rs.getLong(1);
          lastSeq = rs.getLong(2);
          if (n > 0) {
            from = Math.min(from, rs.getLong(3));
            to = Math.max(to, rs.getLong(4));
          }
        }
      }
      if (n == 0) {
        continue;
      }
      // The n oldest rows of this kind are exactly those of this kind up to lastSeq.
      try (PreparedStatement delete = db.prepareStatement("DELETE FROM outbox WHERE period = ? AND seq <= ?")) {
        delete.setInt(1, period);
        delete.setLong(2, lastSeq);
        delete.executeUpdate();
      }
      try (PreparedStatement count = db.prepareStatement(
          "INSERT INTO outbox_meta (name, value) VALUES (?, ?)"
              + " ON CONFLICT (name) DO UPDATE SET value = value + excluded.value")) {
        count.setString(1, period == 0 ? DROPPED_NORMAL : DROPPED_EXCURSION);
        count.setLong(2, n);
        count.executeUpdate();
      }
      counts[period] = n;
      excess -= n;
    }
    return new Drops(counts[0], counts[1], from, to);
  }

  /** Logs drops at WARN, at most once per {@link #DROP_LOG_INTERVAL} unless {@code now}. */
  private void logDrops(Drops drops, boolean now) {
    dropLog.normal += drops.normal();
    dropLog.excursion += drops.excursion();
    dropLog.from = Math.min(dropLog.from, drops.from());
    dropLog.to = Math.max(dropLog.to, drops.to());
    long at = clock.millis();
    boolean due = dropLog.lastLogged == Long.MIN_VALUE
        || at - dropLog.lastLogged >= DROP_LOG_INTERVAL.toMillis()
        || at < dropLog.lastLogged;  // the clock stepped back
    if (!dropLog.pending() || !(due || now)) {
      return;
    }
    log.warn("OUTBOX FULL ({} readings max): dropped {} readings not yet acknowledged by the gateway"
            + " ({} in range, {} from excursion periods), measured {} to {}; {} dropped since this outbox"
            + " was created. Readings from excursion periods are dropped only when no other reading is"
            + " left. Restore the connection to the gateway, or raise outbox.maxReadings if the card has room.",
        maxReadings, dropLog.normal + dropLog.excursion, dropLog.normal, dropLog.excursion,
        Instant.ofEpochMilli(dropLog.from), Instant.ofEpochMilli(dropLog.to), dropped());
    dropLog.normal = 0;
    dropLog.excursion = 0;
    dropLog.from = Long.MAX_VALUE;
    dropLog.to = Long.MIN_VALUE;
    dropLog.lastLogged = at;
  }

  /** Up to {@code limit} readings with {@code seq > afterSeq}, in sequence order. */
  public synchronized List<Reading> readAfter(long afterSeq, int limit) {
    ensureOpen();
    Checks.requireAtLeast("limit", limit, 1);
    List<Reading> out = new ArrayList<>(Math.min(limit, 4096));
    try (PreparedStatement select = db.prepareStatement(
        "SELECT seq, t, unit, sensor, value, quality, synced, raw FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?")) {
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
    int synced = rs.getInt(7);
    double raw = rs.getDouble(8);
    OptionalDouble rawValue = rs.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(raw);
    return new Reading(seq, rs.getLong(2), rs.getString(3), rs.getString(4), value, quality, synced != 0, rawValue,
        synced == SYNCED_CORRECTED);
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
      reservation.cover(next, RESERVE_TICKS);
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

  /**
   * Measurement time (epoch ms) of the oldest reading still waiting for the gateway's ack, the
   * one with the lowest seq; empty when the outbox is empty.
   */
  public synchronized OptionalLong oldestTime() {
    ensureOpen();
    try {
      OptionalLong t;
      try (Statement st = db.createStatement();
          ResultSet rs = st.executeQuery("SELECT t FROM outbox ORDER BY seq LIMIT 1")) {
        t = rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
      }
      db.commit();
      return t;
    } catch (SQLException e) {
      rollback();
      throw new OutboxException("Outbox " + file + " cannot be read: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      rollback();
      throw e;
    }
  }

  /** What {@link #open} found wrong with the outbox file and did about it; empty when nothing. */
  public Optional<Recovery> recovery() {
    return recovery;
  }

  /**
   * The damaged outboxes moved aside in the data folder ({@code outbox.db.corrupt-*}) that are
   * still there, for the status: they hold readings the gateway may never have received.
   */
  public List<Path> corruptFiles() {
    return Integrity.corruptFiles(file.getParent());
  }

  /** Readings dropped because the outbox was full, since it was created. Kept in the database. */
  public long dropped() {
    return droppedNormal.get() + droppedExcursion.get();
  }

  /** Of {@link #dropped()}, those that were part of an excursion period. */
  public long droppedFromExcursions() {
    return droppedExcursion.get();
  }

  /** The most rows this outbox holds. */
  public long maxReadings() {
    return maxReadings;
  }

  /** Readings waiting for the gateway's ack. Cheap: kept in memory, not counted on disk. */
  public long depth() {
    return depth.get();
  }

  private static boolean hasColumn(Connection db, String column) throws SQLException {
    try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("PRAGMA table_info(outbox)")) {
      while (rs.next()) {
        if (column.equals(rs.getString("name"))) {
          return true;
        }
      }
      return false;
    }
  }

  private long meta(String name) throws SQLException {
    try (PreparedStatement st = db.prepareStatement("SELECT value FROM outbox_meta WHERE name = ?")) {
      st.setString(1, name);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  /**
   * Learns each unit's last stored tick from the newest rows, so a period that was open when
   * the agent stopped is closed (or extended) by the first tick after the restart.
   */
  private void restoreLastTicks() throws SQLException {
    try (PreparedStatement st = db.prepareStatement("SELECT seq, t, unit, sensor, value, quality, synced, raw,"
        + " period FROM outbox ORDER BY seq DESC LIMIT ?")) {
      st.setInt(1, RESTORE_ROWS);
      Set<String> complete = new HashSet<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          Reading r;
          boolean beyond;
          try {
            r = reading(rs);
            beyond = excursion.test(new Measurement(r.time(), r.unit(), r.sensor(), r.celsius(), r.quality(),
                r.clockSynced()));
          } catch (RuntimeException e) {
            continue;  // a row this version would not write: it does not decide a period
          }
          boolean marked = rs.getInt(9) == 1;
          UnitTick t = lastTicks.get(r.unit());
          if (t == null) {
            lastTicks.put(r.unit(), new UnitTick(r.time(), r.seq(), r.seq(), beyond, marked));
          } else if (!complete.contains(r.unit()) && t.time() == r.time()) {
            lastTicks.put(r.unit(), new UnitTick(t.time(), r.seq(), t.lastSeq(), t.excursion() || beyond,
                t.marked() && marked));
          } else {
            complete.add(r.unit());
          }
        }
      }
    }
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
      logDrops(Drops.NONE, true);
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
