package org.sangfroid.demo.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the fsync and fdatasync calls in a log written by {@code strace -f -y -ttt}, within a
 * time window, by the file they were for: the outbox's write-ahead log (each commit with
 * {@code synchronous=FULL}), the database file itself (checkpoints), anything else.
 */
final class StraceLog {
  /** {@code 1234  1700000000.123456 fsync(23</path/outbox.db-wal>) = 0}, or its unfinished half. */
  private static final Pattern CALL =
      Pattern.compile("^\\d+\\s+(\\d+\\.\\d+)\\s+(?:fsync|fdatasync)\\((\\d+)(?:<([^>]*)>)?");

  private StraceLog() {}

  /** Calls by the file they were for. */
  record Count(long wal, long database, long other) {
    long total() {
      return wal + database + other;
    }
  }

  /** The calls started from {@code fromMs} to {@code toMs} (epoch ms) in {@code log}. */
  static Count count(Path log, long fromMs, long toMs) throws IOException {
    return count(Files.readAllLines(log), fromMs, toMs);
  }

  static Count count(List<String> lines, long fromMs, long toMs) {
    long wal = 0;
    long db = 0;
    long other = 0;
    for (String line : lines) {
      Matcher m = CALL.matcher(line);
      if (!m.find()) {
        continue;
      }
      long at = Math.round(Double.parseDouble(m.group(1)) * 1000);
      if (at < fromMs || at > toMs) {
        continue;
      }
      String file = m.group(3) == null ? "" : m.group(3);
      if (file.endsWith("-wal")) {
        wal++;
      } else if (file.endsWith(".db")) {
        db++;
      } else {
        other++;
      }
    }
    return new Count(wal, db, other);
  }
}
