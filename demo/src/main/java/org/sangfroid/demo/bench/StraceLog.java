package org.sangfroid.demo.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the fsync and fdatasync calls in a log written by {@code strace -f -y -ttt}, within a
 * time window, by what they were for. On the outbox's write-ahead log: a commit with {@code
 * synchronous=FULL} syncs it once; a checkpoint syncs it, then the database file; the first commit
 * after a checkpoint has reset the log syncs the log's new header, then commits. So, in each
 * thread's order: a log sync followed by a sync of the database file is a checkpoint's, a log sync
 * followed within {@link #HEADER_GAP_MS} by another log sync is a header's, any other is a
 * commit's. Besides: the outbox's sequence reservation ({@code outbox.seq}: the file, then the
 * data folder it is renamed in), anything else.
 */
final class StraceLog {
  /** {@code 1234  1700000000.123456 fsync(23</path/outbox.db-wal>) = 0}, or its unfinished half. */
  private static final Pattern CALL =
      Pattern.compile("^(\\d+)\\s+(\\d+\\.\\d+)\\s+(?:fsync|fdatasync)\\((\\d+)(?:<([^>]*)>)?");
  /** A header sync and the commit's own follow each other within this (ms): one transaction. */
  static final long HEADER_GAP_MS = 100;

  private StraceLog() {}

  /** Calls by what they were for. */
  record Count(long commits, long headers, long checkpointLog, long database, long reservation, long other) {
    /** Every call on the write-ahead log. */
    long wal() {
      return commits + headers + checkpointLog;
    }

    long total() {
      return wal() + database + reservation + other;
    }
  }

  private enum File { WAL, DATABASE, RESERVATION, OTHER }

  private record Call(long at, File file) {}

  /** The calls started from {@code fromMs} to {@code toMs} (epoch ms) in {@code log}; the agent's data folder. */
  static Count count(Path log, Path dataDir, long fromMs, long toMs) throws IOException {
    return count(Files.readAllLines(log), dataDir.toAbsolutePath().toString(), fromMs, toMs);
  }

  static Count count(List<String> lines, String dataDir, long fromMs, long toMs) {
    Map<String, List<Call>> byThread = new HashMap<>();
    for (String line : lines) {
      Matcher m = CALL.matcher(line);
      if (m.find()) {
        long at = Math.round(Double.parseDouble(m.group(2)) * 1000);
        byThread.computeIfAbsent(m.group(1), t -> new ArrayList<>()).add(new Call(at, file(m.group(4), dataDir)));
      }
    }
    long commits = 0;
    long headers = 0;
    long checkpointLog = 0;
    long database = 0;
    long reservation = 0;
    long other = 0;
    for (List<Call> calls : byThread.values()) {
      for (int i = 0; i < calls.size(); i++) {
        Call c = calls.get(i);
        if (c.at() < fromMs || c.at() > toMs) {
          continue;
        }
        Call next = i + 1 < calls.size() ? calls.get(i + 1) : null;
        switch (c.file()) {
          case WAL -> {
            if (next != null && next.file() == File.DATABASE) {
              checkpointLog++;
            } else if (next != null && next.file() == File.WAL && next.at() - c.at() <= HEADER_GAP_MS) {
              headers++;
            } else {
              commits++;
            }
          }
          case DATABASE -> database++;
          case RESERVATION -> reservation++;
          case OTHER -> other++;
        }
      }
    }
    return new Count(commits, headers, checkpointLog, database, reservation, other);
  }

  private static File file(String path, String dataDir) {
    if (path == null) {
      return File.OTHER;
    }
    if (path.endsWith(".db-wal")) {
      return File.WAL;
    }
    if (path.endsWith(".db")) {
      return File.DATABASE;
    }
    // The reservation writes outbox.seq.tmp, syncs it, renames it and syncs the folder.
    if (path.endsWith("/outbox.seq.tmp") || path.endsWith("/outbox.seq") || path.equals(dataDir)) {
      return File.RESERVATION;
    }
    return File.OTHER;
  }
}
