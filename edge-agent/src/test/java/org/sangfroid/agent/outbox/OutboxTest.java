package org.sangfroid.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.core.wire.Quality;
import org.sangfroid.core.wire.Reading;

class OutboxTest {
  @TempDir Path dataDir;
  private Outbox outbox;

  @BeforeEach
  void open() {
    outbox = Outbox.open(dataDir);
  }

  @AfterEach
  void close() {
    outbox.close();
  }

  private static List<Measurement> tick(long time, int n) {
    List<Measurement> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Measurement(time, "rbc-fridge-1", "28-00000000000" + (i % 10), 4.0 + i / 100.0, Quality.OK, true));
    }
    return out;
  }

  private static List<Long> seqs(List<Reading> readings) {
    return readings.stream().map(Reading::seq).toList();
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  @Test
  void append_twoTicks_returnsIncreasingSeqsInOrder() {
    assertThat(outbox.append(tick(1000, 3))).containsExactly(1L, 2L, 3L);
    assertThat(outbox.append(tick(2000, 2))).containsExactly(4L, 5L);
    assertThat(outbox.depth()).isEqualTo(5);
    assertThat(outbox.lastSeq()).isEqualTo(5);
  }

  @Test
  void readAfter_storedTicks_returnsReadingsInSeqOrderWithTheirFields() {
    outbox.append(List.of(
        new Measurement(1000, "rbc-fridge-1", "28-0316a2794aff", 4.25, Quality.OK, true),
        new Measurement(1000, "rbc-fridge-1", "28-0316a2794b00", Double.NaN, Quality.CRC_ERROR, false)));
    outbox.append(List.of(new Measurement(61000, "ffp-freezer-1", "28-00000b0c1d2e", -30.5, Quality.OK, true)));

    List<Reading> all = outbox.readAfter(0, 10);

    assertThat(all).hasSize(3);
    assertThat(all.get(0)).isEqualTo(new Reading(1, 1000, "rbc-fridge-1", "28-0316a2794aff", 4.25, Quality.OK, true));
    assertThat(all.get(1).quality()).isEqualTo(Quality.CRC_ERROR);
    assertThat(all.get(1).celsius()).isNaN();
    assertThat(all.get(1).clockSynced()).isFalse();
    assertThat(all.get(2)).isEqualTo(new Reading(3, 61000, "ffp-freezer-1", "28-00000b0c1d2e", -30.5, Quality.OK, true));
  }

  @Test
  void readAfter_limitAndOffset_returnsTheNextPage() {
    outbox.append(tick(1000, 10));

    assertThat(seqs(outbox.readAfter(0, 4))).isEqualTo(range(1, 4));
    assertThat(seqs(outbox.readAfter(4, 4))).isEqualTo(range(5, 8));
    assertThat(seqs(outbox.readAfter(8, 4))).isEqualTo(range(9, 10));
    assertThat(outbox.readAfter(10, 4)).isEmpty();
  }

  @Test
  void deleteUpTo_ack_removesOnlyRowsUpToIt() {
    outbox.append(tick(1000, 10));

    assertThat(outbox.oldestSeq()).isEqualTo(1);
    assertThat(outbox.deleteUpTo(6)).isEqualTo(6);

    assertThat(outbox.depth()).isEqualTo(4);
    assertThat(outbox.oldestSeq()).isEqualTo(7);
    assertThat(seqs(outbox.readAfter(0, 100))).isEqualTo(range(7, 10));
    assertThat(outbox.deleteUpTo(6)).isZero();
  }

  @Test
  void reopen_afterClose_keepsRowsAndDepth() {
    outbox.append(tick(1000, 5));
    outbox.deleteUpTo(2);
    outbox.close();

    outbox = Outbox.open(dataDir);

    assertThat(outbox.depth()).isEqualTo(3);
    assertThat(seqs(outbox.readAfter(0, 100))).isEqualTo(range(3, 5));
  }

  @Test
  void append_afterAllDeletedAndReopen_neverReusesASeq() {
    outbox.append(tick(1000, 5));
    outbox.deleteUpTo(5);
    outbox.close();
    outbox = Outbox.open(dataDir);

    assertThat(outbox.depth()).isZero();
    assertThat(outbox.oldestSeq()).isZero();
    assertThat(outbox.append(tick(2000, 2))).containsExactly(6L, 7L);
  }

  @Test
  void open_newFile_usesWriteAheadLog() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("outbox.db"));
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("wal");
    }
    assertThat(outbox.file()).isEqualTo(dataDir.resolve("outbox.db"));
  }

  @Test
  void open_missingDataDir_createsIt() {
    Path nested = dataDir.resolve("var/lib/sangfroid");

    try (Outbox other = Outbox.open(nested)) {
      assertThat(other.file()).exists();
    }
  }

  @Test
  void continueAfter_ackBeyondLastSeq_renumbersWaitingRowsToFollowIt() {
    outbox.append(tick(1000, 3));
    outbox.deleteUpTo(1);

    assertThat(outbox.continueAfter(1000)).isTrue();

    assertThat(seqs(outbox.readAfter(0, 10))).containsExactly(1001L, 1002L);
    assertThat(outbox.append(tick(2000, 1))).containsExactly(1003L);
    assertThat(outbox.depth()).isEqualTo(3);
  }

  @Test
  void continueAfter_emptyNewOutbox_nextSeqFollowsTheAck() {
    assertThat(outbox.continueAfter(41)).isTrue();

    assertThat(outbox.append(tick(1000, 1))).containsExactly(42L);
  }

  @Test
  void continueAfter_ackWithinNumbering_changesNothing() {
    outbox.append(tick(1000, 3));

    assertThat(outbox.continueAfter(3)).isFalse();
    assertThat(outbox.continueAfter(2)).isFalse();

    assertThat(seqs(outbox.readAfter(0, 10))).isEqualTo(range(1, 3));
  }

  @Test
  void readAfter_unreadableRow_throwsAndSeesTheRowOnceRepaired() throws Exception {
    outbox.append(tick(1000, 2));
    String url = "jdbc:sqlite:" + outbox.file();
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE outbox SET quality = 'melted' WHERE seq = 1");
    }

    assertThatThrownBy(() -> outbox.readAfter(0, 10))
        .isInstanceOf(OutboxException.class)
        .hasMessageContaining("row 1 has an unknown quality [melted]");

    // The failed read must not leave a transaction open on an old snapshot.
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE outbox SET quality = 'ok' WHERE seq = 1");
    }
    assertThat(seqs(outbox.readAfter(0, 10))).isEqualTo(range(1, 2));
  }

  @Test
  void append_afterClose_throws() {
    outbox.close();

    assertThatThrownBy(() -> outbox.append(tick(1000, 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is closed");
  }
}
