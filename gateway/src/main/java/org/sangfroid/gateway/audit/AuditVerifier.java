package org.sangfroid.gateway.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sangfroid.gateway.store.AuditRow;

/**
 * Walks an audit trail in seq order (ties in the order rows were stored) and reports, for each
 * entry: an edited row (its hash does not match its content), deleted rows (a gap in seq), an
 * inserted row (a seq seen twice, or an entry whose prev_hash is not the hash of the entry before).
 * It cannot see the newest entries removed from the end: compare the head with a copy kept
 * elsewhere. Feed it with {@link #accept}, then read {@link #report()}. Not thread-safe.
 */
public final class AuditVerifier {
  private final List<AuditReport.Problem> problems = new ArrayList<>();
  private long entries;
  private long prevSeq;
  private String prevHash = AuditTrail.GENESIS;

  /** Checks the next row. */
  public void accept(AuditRow r) {
    entries++;
    long seq = r.seq();
    if (!AuditTrail.hashOf(r).equals(r.hash())) {
      problem(seq, "altered", "entry " + seq + ": altered (its hash does not match its content)");
    }
    if (entries > 1 && seq == prevSeq) {
      problem(seq, "duplicate", "entry " + seq + ": appears more than once (inserted)");
    } else if (seq > prevSeq + 1) {
      long from = prevSeq + 1;
      long to = seq - 1;
      problem(from, "missing", (from == to ? "entry " + from : "entries " + from + "-" + to) + ": missing (deleted)");
    } else if (seq < prevSeq + 1) {
      // only the first row can be here (rows come in seq order): seq 0 or negative
      problem(seq, "broken_link", "entry " + seq + ": is not a valid position in the trail (inserted)");
    } else if (!r.prevHash().equals(prevHash)) {
      problem(seq, "broken_link", "entry " + seq + ": does not follow "
          + (prevSeq == 0 ? "the start of the trail" : "entry " + prevSeq)
          + " (inserted or reordered" + (prevSeq == 0 ? ")" : ", or entry " + prevSeq + " altered and re-hashed)"));
    }
    prevSeq = seq;
    prevHash = r.hash();
  }

  private void problem(long seq, String kind, String message) {
    problems.add(new AuditReport.Problem(seq, kind, message));
  }

  /** What was found so far. */
  public AuditReport report() {
    return new AuditReport(entries,
        entries == 0 ? Optional.empty() : Optional.of(new AuditReport.Head(prevSeq, prevHash)), problems);
  }
}
