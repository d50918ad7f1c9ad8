package org.sangfroid.gateway.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.sqlite.SQLiteConfig;

/**
 * What differs between the databases the store runs on. The store's SQL is the same for both;
 * only the migrations, the connection settings, the write lock, the column that orders audit
 * rows inserted with the same seq, and one query that each plans well only in its own form differ.
 */
enum Dialect {
  /** One file, one writer at a time (WAL, synchronous=FULL, BEGIN IMMEDIATE). */
  SQLITE("jdbc:sqlite:", "classpath:db/migration/sqlite", "rowid",
      // a primary-key probe per reading above the watermark, stopping at the first gap
      "SELECT r.seq FROM readings r WHERE r.site = ? AND r.agent = ? AND r.seq > ?"
          + " AND NOT EXISTS (SELECT 1 FROM readings n WHERE n.site = r.site AND n.agent = r.agent"
          + " AND n.seq = r.seq + 1) ORDER BY r.seq LIMIT 1"),
  /**
   * A server. Writers of every gateway on the same schema take one advisory lock per
   * transaction, so they run one at a time as on SQLite; READ COMMITTED, so each statement sees
   * what the writer before committed.
   */
  POSTGRESQL("jdbc:postgresql:", "classpath:db/migration/postgresql", "id",
      // one walk up the primary key: before PostgreSQL has statistics on a new table it can plan
      // SQLite's NOT EXISTS as a scan of all the agent's readings per reading (seconds a batch)
      "SELECT seq FROM (SELECT seq, lead(seq) OVER (ORDER BY seq) AS next"
          + " FROM readings WHERE site = ? AND agent = ? AND seq > ?) AS run"
          + " WHERE next IS NULL OR next <> seq + 1 ORDER BY seq LIMIT 1");

  /** How long an SQLite connection waits for another one's lock. */
  private static final int SQLITE_BUSY_TIMEOUT_MS = 10_000;
  /**
   * The writer's page cache, in KiB (SQLite's negative form): up to 256 MiB, taken as pages are
   * read (a small site's database never fills it). Readings of many units arriving together each
   * land on their unit's own page of the per-unit index; with SQLite's default 2 MiB, a fleet of
   * thousands of units reads those pages back from the file at every transaction, and a day of
   * 10,000 units outgrows 64 MiB (fleet bench, 24 h: 64 MiB 216x real time, 256 MiB 261x, 512 MiB
   * 247x; 107 GB read from the file with 64 MiB, 32 GB with 256).
   */
  static final int SQLITE_WRITER_CACHE_KIB = 256 * 1024;
  /**
   * Pages in the write-ahead log before the writer copies it into the database file itself:
   * 100,000 (about 400 MB of log on disk, at most). The {@link Checkpointer} copies it every
   * second beside the writer, so this is only reached when that thread falls behind. A checkpoint
   * copies each page once however often it was written since the last one: with SQLite's default
   * 1,000, a transaction touching a thousand units' index pages started a checkpoint (a copy and an
   * fsync of the database file) almost every time.
   */
  static final int SQLITE_WAL_CHECKPOINT_PAGES = 100_000;
  /** Every how often the {@link Checkpointer} copies the write-ahead log into the database file. */
  static final Duration SQLITE_CHECKPOINT_EVERY = Duration.ofSeconds(1);
  /** The size the write-ahead log file is cut back to after a checkpoint, in bytes: 64 MiB. */
  static final long SQLITE_WAL_SIZE_LIMIT = 64L * 1024 * 1024;
  /** Seconds to reach PostgreSQL, and to wait for any one answer before the connection is given up. */
  private static final String PG_CONNECT_TIMEOUT_S = "10";
  private static final String PG_SOCKET_TIMEOUT_S = "60";
  /** First key of the store's advisory lock (ASCII "SGFW"); the second is the schema's hash. */
  private static final int PG_LOCK_CLASS = 0x53474657;

  private final String prefix;
  private final String migrations;
  private final String auditInsertOrder;
  private final String runEnd;

  Dialect(String prefix, String migrations, String auditInsertOrder, String runEnd) {
    this.prefix = prefix;
    this.migrations = migrations;
    this.auditInsertOrder = auditInsertOrder;
    this.runEnd = runEnd;
  }

  /** The dialect of a JDBC URL. */
  static Optional<Dialect> of(String url) {
    for (Dialect d : values()) {
      if (url.startsWith(d.prefix) && url.length() > d.prefix.length()) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  /** The start of its JDBC URLs. */
  String prefix() {
    return prefix;
  }

  /** The Flyway location of its migrations: the same versions for every dialect. */
  String migrations() {
    return migrations;
  }

  /** The column that gives the order audit rows were inserted in (SQLite's implicit rowid). */
  String auditInsertOrder() {
    return auditInsertOrder;
  }

  /**
   * The query for the end of an agent's run of stored seqs: given site, agent and the
   * watermark, the first stored seq above it whose successor is not stored.
   */
  String runEnd() {
    return runEnd;
  }

  /** How a connection is used. */
  enum Use {
    /** Transactions, committed by the store. */
    WRITE,
    /** One statement at a time (auto-commit). */
    READ,
    /** A read-only transaction that never changes anything, beside a running gateway. */
    SCAN
  }

  Connection connect(Database db, Use use) throws SQLException {
    return switch (this) {
      case SQLITE -> sqlite(db, use);
      case POSTGRESQL -> postgresql(db, use);
    };
  }

  private static Connection sqlite(Database db, Use use) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MS);
    // The store reads new ids with RETURNING; without this, the driver runs its own
    // "SELECT last_insert_rowid()" after every insert (about 12 % of ingest time, bench gateway).
    config.setGetGeneratedKeys(false);
    if (use != Use.SCAN) {
      config.setJournalMode(SQLiteConfig.JournalMode.WAL);
      config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
      config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    }
    if (use == Use.WRITE) {
      config.setCacheSize(-SQLITE_WRITER_CACHE_KIB);
      config.setPragma(SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, Integer.toString(SQLITE_WAL_CHECKPOINT_PAGES));
      config.setPragma(SQLiteConfig.Pragma.JOURNAL_SIZE_LIMIT, Long.toString(SQLITE_WAL_SIZE_LIMIT));
    }
    Connection c = config.createConnection(db.url());
    if (use == Use.SCAN) {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA query_only = true");
      }
    }
    c.setAutoCommit(use != Use.WRITE);
    return c;
  }

  private static Connection postgresql(Database db, Use use) throws SQLException {
    Properties p = new Properties();
    db.username().ifPresent(u -> p.setProperty("user", u));
    db.password().ifPresent(pw -> p.setProperty("password", pw));
    p.setProperty("ApplicationName", "sangfroid-gateway");
    p.setProperty("connectTimeout", PG_CONNECT_TIMEOUT_S);
    p.setProperty("socketTimeout", PG_SOCKET_TIMEOUT_S);
    p.setProperty("tcpKeepAlive", "true");
    Connection c = DriverManager.getConnection(db.url(), p);
    if (use == Use.READ) {
      c.setAutoCommit(true);
      return c;
    }
    c.setAutoCommit(false);
    c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    c.setReadOnly(use == Use.SCAN);
    return c;
  }

  /**
   * The statement that starts each write transaction on {@code c} by taking the store's lock;
   * empty when the connection's transactions take it themselves (SQLite's BEGIN IMMEDIATE). On
   * PostgreSQL an advisory lock per schema: gateways sharing a schema write one at a time.
   */
  Optional<String> writeLock(Connection c) throws SQLException {
    if (this == SQLITE) {
      return Optional.empty();
    }
    int schemaKey = ("sangfroid-gateway:" + c.getSchema()).hashCode();
    return Optional.of("SELECT pg_advisory_xact_lock(" + PG_LOCK_CLASS + ", " + schemaKey + ")");
  }
}
