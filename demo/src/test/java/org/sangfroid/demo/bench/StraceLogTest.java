package org.sangfroid.demo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StraceLogTest {
  private static final List<String> LOG = List.of(
      "4242  1700000000.100000 fsync(23</data/outbox.db-wal>) = 0",
      "4243  1700000000.900000 fdatasync(23</data/outbox.db-wal> <unfinished ...>",
      "4243  1700000001.000000 <... fdatasync resumed>) = 0",
      "4242  1700000001.500000 fsync(22</data/outbox.db>) = 0",
      "4242  1700000002.000000 fsync(7</tmp/other.log>) = 0",
      "4242  1700000009.000000 fsync(23</data/outbox.db-wal>) = 0",
      "4242  1700000000.200000 +++ exited with 0 +++");

  @Test
  void count_withinTheWindow_byFile_andAResumedCallOnlyOnce() {
    StraceLog.Count c = StraceLog.count(LOG, 1_700_000_000_000L, 1_700_000_002_000L);

    assertThat(c.wal()).isEqualTo(2);
    assertThat(c.database()).isEqualTo(1);
    assertThat(c.other()).isEqualTo(1);
    assertThat(c.total()).isEqualTo(4);
  }

  @Test
  void count_callsOutsideTheWindow_areLeftOut() {
    assertThat(StraceLog.count(LOG, 1_700_000_003_000L, 1_700_000_008_000L).total()).isZero();
  }
}
