package org.sangfroid.demo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StraceLogTest {
  /** Two threads: the sampler (4242) and the publisher (4243), as strace -f -y -ttt writes them. */
  private static final List<String> LOG = List.of(
      "4242  1700000000.100000 fsync(23</data/outbox.db-wal>) = 0",
      "4243  1700000000.900000 fdatasync(23</data/outbox.db-wal> <unfinished ...>",
      "4243  1700000001.000000 <... fdatasync resumed>) = 0",
      "4242  1700000001.100000 fsync(23</data/outbox.db-wal>) = 0",
      "4243  1700000001.500000 fsync(22</data/outbox.db>) = 0",
      "4242  1700000002.100000 fsync(23</data/outbox.db-wal>) = 0",
      "4242  1700000002.101500 fsync(23</data/outbox.db-wal>) = 0",
      "4242  1700000002.500000 fsync(30</data/outbox.seq.tmp>) = 0",
      "4242  1700000002.501000 fsync(30</data>) = 0",
      "4242  1700000002.600000 fsync(7</tmp/other.log>) = 0",
      "4242  1700000003.100000 fsync(23</data/outbox.db-wal>) = 0",
      "4242  1700000009.000000 fsync(23</data/outbox.db-wal>) = 0",
      "4242  1700000000.200000 +++ exited with 0 +++");

  @Test
  void count_withinTheWindow_byWhatEachCallWasFor() {
    StraceLog.Count c = StraceLog.count(LOG, "/data", 1_700_000_000_000L, 1_700_000_004_000L);

    assertThat(c.commits()).as("the ticks' commits, the resumed call once").isEqualTo(4);
    assertThat(c.checkpointLog()).as("the log synced before the database file").isEqualTo(1);
    assertThat(c.database()).isEqualTo(1);
    assertThat(c.headers()).as("the new log's header, just before a commit").isEqualTo(1);
    assertThat(c.reservation()).as("outbox.seq and its folder").isEqualTo(2);
    assertThat(c.other()).isEqualTo(1);
    assertThat(c.wal()).isEqualTo(6);
    assertThat(c.total()).isEqualTo(10);
  }

  @Test
  void count_callsOutsideTheWindow_areLeftOut() {
    assertThat(StraceLog.count(LOG, "/data", 1_700_000_004_000L, 1_700_000_008_000L).total()).isZero();
  }

  @Test
  void count_aCallJustBeforeTheWindow_stillClassifiesTheFirstCallInside() {
    // The checkpoint's log sync is outside the window, its database sync inside.
    StraceLog.Count c = StraceLog.count(LOG, "/data", 1_700_000_001_200L, 1_700_000_001_600L);

    assertThat(c.database()).isEqualTo(1);
    assertThat(c.total()).isEqualTo(1);
  }
}
