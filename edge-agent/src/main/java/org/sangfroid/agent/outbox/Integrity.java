package org.sangfroid.agent.outbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * Checks the outbox file before it is opened for writing, and moves a damaged one aside so a new
 * outbox can start (issue 3: never deleted or recreated silently).
 *
 * <p>Damaged means: not starting with the SQLite header, or SQLite calling it corrupt or not a
 * database, or {@code PRAGMA quick_check} finding a fault (it reads every page: opening a full
 * default outbox, 350,000 readings in 25 MB, took 0.3 s on a PC with the check; a Pi's SD card
 * is slower, not measured yet). Anything else that
 * stops the check (permissions, an I/O error, a lock) is not damage: the file is left where it
 * is and the open fails, since a new outbox would not be better off on the same card.
 *
 * <p>The check uses a read-only connection, so a damaged file is moved exactly as found.
 */
final class Integrity {
  private static final Logger log = LoggerFactory.getLogger(Integrity.class);
  private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
  private static final int HEADER_BYTES = 100;
  private static final int SQLITE_CORRUPT = 11;
  private static final int SQLITE_NOTADB = 26;
  private static final String CORRUPT_INFIX = ".corrupt-";
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private Integrity() {}

  /**
   * Makes {@code file} safe to open: a damaged file is moved aside, a missing one that
   * {@code reservation} says existed is reported. Returns what was done, if anything.
   *
   * @throws OutboxException if the file cannot be checked or moved
   */
  static Optional<Recovery> prepare(Path file, SeqReservation reservation, Clock clock) {
    if (!Files.exists(file)) {
      if (reservation.reserved().isEmpty()) {
        return Optional.empty();  // a new device, or an outbox from before outbox.seq
      }
      long after = reservation.reserved().getAsLong();
      log.error("OUTBOX MISSING: {} is not there, but {} shows that this device already numbered readings up"
          + " to seq {}: the outbox was deleted or lost. A new, empty outbox was started, numbered from seq {}"
          + " so that the gateway keeps every new reading. Readings that were in the lost file and not yet"
          + " acknowledged by the gateway are gone: the gateway will report them as a gap.", file,
          SeqReservation.FILE_NAME, after, after + 1);
      return Optional.of(new Recovery(Recovery.Kind.MISSING, file, Optional.empty(),
          "the outbox file was missing", after, clock.millis()));
    }
    Optional<String> problem = problem(file);
    if (problem.isEmpty()) {
      return Optional.empty();
    }
    OptionalLong shown = highestSeq(file);
    Path movedTo = moveAside(file, clock);
    long after = Math.max(reservation.reserved().orElse(0), shown.orElse(0));
    log.error("OUTBOX DAMAGED: {} {}. It was moved aside to {} (with its -wal and -shm files, if any) and a"
        + " new, empty outbox was started: new readings are stored and sent as usual, numbered from seq {}."
        + " Readings in the damaged file that the gateway had not yet acknowledged are not sent: the gateway"
        + " will report them as a gap, which may also count numbers that were reserved but never used."
        + " Keep the moved file with the unit's records (a specialist can try 'sqlite3 FILE .recover' on a"
        + " copy), and check the SD card and the power supply: a damaged database often means a failing card.",
        file, problem.get(), movedTo, after + 1);
    return Optional.of(new Recovery(Recovery.Kind.CORRUPT, file, Optional.of(movedTo), problem.get(), after,
        clock.millis()));
  }

  /**
   * What is wrong with {@code file}, or empty when it is a sound SQLite database (an empty file is
   * one: SQLite makes it a database on first use).
   *
   * @throws OutboxException if the file cannot be checked at all (not damage)
   */
  static Optional<String> problem(Path file) {
    try {
      long size = Files.size(file);
      if (size == 0) {
        return Optional.empty();
      }
      byte[] header;
      try (InputStream in = Files.newInputStream(file)) {
        header = in.readNBytes(HEADER_BYTES);
      }
      if (!Arrays.equals(Arrays.copyOf(header, MAGIC.length), MAGIC)) {
        return Optional.of("does not start with the SQLite header: it is not an SQLite database");
      }
      if (header.length < HEADER_BYTES) {
        return Optional.of("is " + size + " bytes long, shorter than an SQLite header (" + HEADER_BYTES + " bytes)");
      }
    } catch (IOException e) {
      throw new OutboxException("Outbox " + file + " cannot be checked: " + e.getMessage(), e);
    }
    try (Connection db = readOnly(file); Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA quick_check(5)")) {
      List<String> faults = new ArrayList<>();
      while (rs.next()) {
        faults.add(rs.getString(1));
      }
      if (faults.equals(List.of("ok"))) {
        return Optional.empty();
      }
      // One line for the log and the status: SQLite puts several findings in one row.
      return Optional.of("fails SQLite's integrity check (PRAGMA quick_check): "
          + String.join("; ", faults.stream().flatMap(String::lines).toList()));
    } catch (SQLException e) {
      int code = e.getErrorCode() & 0xFF;
      if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB) {
        return Optional.of("is damaged: SQLite says " + e.getMessage());
      }
      throw new OutboxException("Outbox " + file + " cannot be checked: " + e.getMessage(), e);
    }
  }

  /** The highest seq a damaged file still shows, if any part of it can be read. */
  static OptionalLong highestSeq(Path file) {
    long highest = -1;
    try (Connection db = readOnly(file)) {
      for (String query : List.of("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'",
          "SELECT MAX(seq) FROM outbox")) {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(query)) {
          if (rs.next()) {
            highest = Math.max(highest, rs.getLong(1));
          }
        } catch (SQLException e) {
          log.debug("{} on the damaged outbox: {}", query, e.getMessage());
        }
      }
    } catch (SQLException e) {
      log.debug("The damaged outbox cannot be opened to read its last seq: {}", e.getMessage());
    }
    return highest < 0 ? OptionalLong.empty() : OptionalLong.of(highest);
  }

  /**
   * Renames {@code file} to {@code file.corrupt-YYYYMMDDTHHMMSSZ} (a number added if taken), its
   * {@code -wal} and {@code -shm} first: a write-ahead log left behind would be replayed into
   * the new database.
   */
  static Path moveAside(Path file, Clock clock) {
    String base = file.getFileName() + CORRUPT_INFIX + STAMP.format(clock.instant());
    Path target = file.resolveSibling(base);
    for (int n = 2; Files.exists(target) || Files.exists(sibling(target, "-wal")); n++) {
      target = file.resolveSibling(base + "-" + n);
    }
    try {
      for (String suffix : List.of("-wal", "-shm")) {
        Path part = sibling(file, suffix);
        if (Files.exists(part)) {
          Files.move(part, sibling(target, suffix), StandardCopyOption.ATOMIC_MOVE);
        }
      }
      Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new OutboxException("Outbox " + file + " is damaged and cannot be moved aside (" + e.getMessage()
          + "): move it and its -wal and -shm files out of the folder by hand, then start the agent again.", e);
    }
    Folders.sync(file.getParent());
    return target;
  }

  /** The damaged outboxes moved aside in {@code dataDir} and still there, oldest name first. */
  static List<Path> corruptFiles(Path dataDir) {
    String prefix = Outbox.FILE_NAME + CORRUPT_INFIX;
    try (Stream<Path> files = Files.list(dataDir)) {
      return files.filter(p -> {
        String name = p.getFileName().toString();
        return name.startsWith(prefix) && !name.endsWith("-wal") && !name.endsWith("-shm");
      }).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static Path sibling(Path file, String suffix) {
    return file.resolveSibling(file.getFileName() + suffix);
  }

  private static Connection readOnly(Path file) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout(5_000);
    return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
  }
}
