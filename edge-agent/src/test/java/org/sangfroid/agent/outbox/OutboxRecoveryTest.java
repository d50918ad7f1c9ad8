package org.sangfroid.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.core.wire.Quality;

/**
 * Issue 3: a damaged outbox is moved aside, reported, and a new one started whose numbering never
 * gives again a seq the gateway may hold. Real SQLite files, damaged on disk as a failing card or
 * a bad copy would leave them.
 */
class OutboxRecoveryTest {
  private static final Instant NOW = Instant.parse("2026-01-15T08:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final String MOVED = "outbox.db.corrupt-20260115T080000Z";

  @TempDir Path dataDir;

  private Outbox open() {
    return Outbox.open(dataDir, Outbox.DEFAULT_MAX_READINGS, BeyondRules.faultsOnly(), CLOCK);
  }

  private static List<Measurement> tick(long time, int n) {
    List<Measurement> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Measurement(time, "rbc-fridge-1", "28-00000000000" + (i % 10), 4.0 + i / 100.0, Quality.OK, true));
    }
    return out;
  }

  /** An outbox holding {@code ticks} ticks of 10 readings, closed (so checkpointed into outbox.db). */
  private void filled(int ticks) {
    try (Outbox outbox = open()) {
      for (int t = 0; t < ticks; t++) {
        outbox.append(tick(1000L * t, 10));
      }
    }
  }

  private Path db() {
    return dataDir.resolve(Outbox.FILE_NAME);
  }

  /**
   * {@code {root page, page size}} of {@code table} in the closed outbox: where to damage it
   * whatever else the schema holds.
   */
  private long[] pageOf(String table) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db().toAbsolutePath());
        Statement st = c.createStatement()) {
      long root;
      try (ResultSet rs = st.executeQuery("SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = '"
          + table + "'")) {
        assertThat(rs.next()).as("table %s", table).isTrue();
        root = rs.getLong(1);
      }
      try (ResultSet rs = st.executeQuery("PRAGMA page_size")) {
        rs.next();
        return new long[] {root, rs.getLong(1)};
      }
    }
  }

  @Test
  void open_fileOfRandomBytes_movedAsideAndANewOutboxStarts() throws Exception {
    byte[] junk = new byte[64 * 1024];
    new Random(7).nextBytes(junk);
    Files.write(db(), junk);

    try (Outbox outbox = open()) {
      Recovery r = outbox.recovery().orElseThrow();
      assertThat(r.kind()).isEqualTo(Recovery.Kind.CORRUPT);
      assertThat(r.problem()).isEqualTo("does not start with the SQLite header: it is not an SQLite database");
      assertThat(r.movedTo()).hasValue(dataDir.resolve(MOVED));
      assertThat(r.at()).isEqualTo(NOW.toEpochMilli());
      assertThat(dataDir.resolve(MOVED)).hasBinaryContent(junk);
      assertThat(outbox.corruptFiles()).containsExactly(dataDir.resolve(MOVED));
      assertThat(outbox.depth()).isZero();
      assertThat(outbox.append(tick(5000, 2))).containsExactly(1L, 2L);  // nothing known: from 1
    }
    assertThat(Integrity.problem(db())).isEmpty();
  }

  @Test
  void open_truncatedFile_movedAsideWithItsWalAndNumberingContinuesAfterTheReservation() throws Exception {
    filled(300);  // seqs 1..3000
    long reserved = Long.parseLong(Files.readString(dataDir.resolve(SeqReservation.FILE_NAME)).strip());
    assertThat(reserved).isGreaterThanOrEqualTo(3000);
    try (RandomAccessFile f = new RandomAccessFile(db().toFile(), "rw")) {
      f.setLength(f.length() / 2);
    }
    Files.writeString(dataDir.resolve(Outbox.FILE_NAME + "-wal"), "left by a power cut");

    try (Outbox outbox = open()) {
      Recovery r = outbox.recovery().orElseThrow();
      assertThat(r.problem()).startsWith("is damaged: SQLite says [SQLITE_CORRUPT]");
      assertThat(r.continuedAfter()).isEqualTo(reserved);
      assertThat(dataDir.resolve(MOVED + "-wal")).hasContent("left by a power cut");
      assertThat(outbox.append(tick(400_000, 1))).containsExactly(reserved + 1);
      assertThat(outbox.lastSeq()).isEqualTo(reserved + 1);
    }
  }

  @Test
  void open_corruptedPage_failsTheIntegrityCheckAndIsMovedAside() throws Exception {
    filled(500);  // seqs 1..5000
    long[] layout = pageOf("outbox");
    try (RandomAccessFile f = new RandomAccessFile(db().toFile(), "rw")) {
      byte[] junk = new byte[200];
      new Random(3).nextBytes(junk);
      // The readings table's root: its cell pointers. The file still opens; the rows point nowhere.
      f.seek(layout[1] * (layout[0] - 1) + 12);
      f.write(junk);
    }

    try (Outbox outbox = open()) {
      Recovery r = outbox.recovery().orElseThrow();
      assertThat(r.kind()).isEqualTo(Recovery.Kind.CORRUPT);
      assertThat(r.problem()).startsWith("fails SQLite's integrity check (PRAGMA quick_check): *** in database main");
      assertThat(r.continuedAfter()).isGreaterThanOrEqualTo(5000);
      assertThat(outbox.append(tick(600_000, 1)).get(0)).isEqualTo(r.continuedAfter() + 1);
    }
  }

  @Test
  void open_damagedHeaderWithoutReservation_continuesAfterTheSeqTheOldFileShows() throws Exception {
    filled(20);  // seqs 1..200
    Files.delete(dataDir.resolve(SeqReservation.FILE_NAME));  // an outbox from before outbox.seq
    try (RandomAccessFile f = new RandomAccessFile(db().toFile(), "rw")) {
      f.seek(21);  // "maximum embedded payload fraction", which must be 64
      f.write(0x7F);
    }

    try (Outbox outbox = open()) {
      Recovery r = outbox.recovery().orElseThrow();
      assertThat(r.problem()).contains("SQLITE_NOTADB");
      assertThat(r.continuedAfter()).isZero();  // a header SQLite rejects shows nothing
      assertThat(outbox.append(tick(9000, 1))).containsExactly(1L);
    }
  }

  @Test
  void open_twoDamagedFilesInTheSameSecond_bothKept() throws Exception {
    Files.writeString(db(), "not a database, first");
    open().close();
    Files.writeString(db(), "not a database, second");

    try (Outbox outbox = open()) {
      assertThat(outbox.recovery().orElseThrow().movedTo()).hasValue(dataDir.resolve(MOVED + "-2"));
      assertThat(outbox.corruptFiles()).containsExactly(dataDir.resolve(MOVED), dataDir.resolve(MOVED + "-2"));
    }
    assertThat(dataDir.resolve(MOVED)).hasContent("not a database, first");
  }

  @Test
  void open_outboxDeletedButReservationKept_reportsItAndNeverReusesASeq() throws Exception {
    filled(3);  // seqs 1..30
    long reserved = Long.parseLong(Files.readString(dataDir.resolve(SeqReservation.FILE_NAME)).strip());
    Files.delete(db());

    try (Outbox outbox = open()) {
      Recovery r = outbox.recovery().orElseThrow();
      assertThat(r.kind()).isEqualTo(Recovery.Kind.MISSING);
      assertThat(r.movedTo()).isEmpty();
      assertThat(outbox.append(tick(9000, 1))).containsExactly(reserved + 1);
      assertThat(outbox.corruptFiles()).isEmpty();
    }
  }

  @Test
  void open_soundOutbox_nothingMovedAndNoSeqSkipped() {
    filled(2);

    try (Outbox outbox = open()) {
      assertThat(outbox.recovery()).isEmpty();
      assertThat(outbox.corruptFiles()).isEmpty();
      assertThat(outbox.depth()).isEqualTo(20);
      assertThat(outbox.append(tick(9000, 1))).containsExactly(21L);
    }
    assertThat(dataDir.resolve(Outbox.FILE_NAME)).exists();
  }

  @Test
  void append_pastTheReservation_reservesAHundredTicksAheadBeforeCommitting() throws Exception {
    Path file = dataDir.resolve(SeqReservation.FILE_NAME);
    try (Outbox outbox = open()) {
      outbox.append(tick(1000, 10));
      assertThat(Files.readString(file)).isEqualTo("1010\n");  // seq 10 + 100 ticks of 10

      for (int t = 1; t < 101; t++) {
        outbox.append(tick(1000L + t, 10));
      }
      assertThat(Files.readString(file)).isEqualTo("1010\n");  // seq 1010 was covered
      outbox.append(tick(9999, 10));
      assertThat(Files.readString(file)).isEqualTo("2020\n");
    }
  }

  @Test
  void continueAfter_renumbering_isCoveredByTheReservation() throws Exception {
    try (Outbox outbox = open()) {
      outbox.append(tick(1000, 1));
      outbox.continueAfter(50_000);

      assertThat(Long.parseLong(Files.readString(dataDir.resolve(SeqReservation.FILE_NAME)).strip()))
          .isGreaterThanOrEqualTo(50_001);
    }
  }

  @Test
  void open_fileThatCannotBeRead_notMovedAsideButRefused() throws Exception {
    Files.createDirectories(db().resolve("x"));  // a folder where the file should be: reading it fails

    assertThatThrownBy(this::open)
        .isInstanceOf(OutboxException.class)
        .hasMessageStartingWith("Outbox " + db() + " cannot be checked");
    assertThat(db()).isDirectory();
    assertThat(Integrity.corruptFiles(dataDir)).isEmpty();
  }

  @Test
  void open_reservationFileUnreadable_treatedAsAbsentAndWrittenAgain() throws Exception {
    Files.writeString(dataDir.resolve(SeqReservation.FILE_NAME), "garbage", StandardCharsets.US_ASCII);

    try (Outbox outbox = open()) {
      assertThat(outbox.recovery()).isEmpty();
      outbox.append(tick(1000, 1));
    }
    assertThat(dataDir.resolve(SeqReservation.FILE_NAME)).hasContent("101");
  }
}
