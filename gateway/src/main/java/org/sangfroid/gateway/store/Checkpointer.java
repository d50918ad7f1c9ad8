package org.sangfroid.gateway.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies SQLite's write-ahead log into the database file on a thread of its own, every
 * {@code every}, so the ingest thread that commits does not (SQLite's passive checkpoint: it
 * never blocks the writer nor the readers). A page the ingest writes again and again between two
 * checkpoints is copied once. The writer still checkpoints by itself past a larger log
 * ({@link Dialect#SQLITE_WAL_CHECKPOINT_PAGES}): the log stays bounded if this thread falls behind.
 */
final class Checkpointer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);

  private final Database database;
  private final ScheduledExecutorService thread;
  private Connection connection; // only on the checkpoint thread
  private boolean failing;

  private Checkpointer(Database database) {
    this.database = database;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sangfroid-checkpoint");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts checkpointing {@code database}'s log every {@code every}. */
  static Checkpointer start(Database database, Duration every) {
    Checkpointer c = new Checkpointer(database);
    c.thread.scheduleWithFixedDelay(c::checkpoint, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    return c;
  }

  private void checkpoint() {
    try {
      if (connection == null) {
        connection = Dialect.SQLITE.connect(database, Dialect.Use.READ);
      }
      try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
        rs.next(); // busy, pages in the log, pages copied: nothing to act on
      }
      if (failing) {
        LOG.info("The write-ahead log of database [{}] is copied into it again", database.name());
        failing = false;
      }
    } catch (SQLException | RuntimeException e) {
      if (!failing) { // once per failing spell: the writer's own checkpoints keep the log bounded
        LOG.warn("Copying the write-ahead log into database [{}] failed ({}); the writer will do it", database.name(),
            e.getMessage());
        failing = true;
      }
      closeConnection();
    }
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        LOG.debug("closing the checkpoint connection failed", e);
      }
      connection = null;
    }
  }

  /** Stops checkpointing (a checkpoint already running finishes first). */
  @Override
  public void close() {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("A checkpoint of database [{}] was still running at the stop", database.name());
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    closeConnection(); // the thread has ended: its connection is ours to close
  }
}
