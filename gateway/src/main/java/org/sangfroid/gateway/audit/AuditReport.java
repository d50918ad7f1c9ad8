package org.sangfroid.gateway.audit;

import java.util.List;
import java.util.Optional;

/**
 * What {@link AuditVerifier} found.
 *
 * @param entries how many rows the trail holds
 * @param head the last entry read (highest seq), empty when the trail is empty
 * @param problems each problem found, in seq order; empty when the chain is intact
 */
public record AuditReport(long entries, Optional<Head> head, List<Problem> problems) {
  public AuditReport {
    problems = List.copyOf(problems);
  }

  /** The newest entry's seq and hash. */
  public record Head(long seq, String hash) {}

  /**
   * One problem, for an operator.
   *
   * @param seq the entry it is about (the first one for a run of missing entries)
   * @param kind {@code altered}, {@code missing}, {@code duplicate} or {@code broken_link}
   * @param message one line: {@code entry 17: altered (its hash does not match its content)}
   */
  public record Problem(long seq, String kind, String message) {}

  /** True when no problem was found. */
  public boolean ok() {
    return problems.isEmpty();
  }

  /** The report as lines of text: one summary line when OK, else one line per problem. */
  public List<String> lines() {
    if (ok()) {
      return List.of(head.map(h -> "Audit trail OK: " + entries + (entries == 1 ? " entry" : " entries")
          + ", head seq " + h.seq() + " hash " + h.hash()).orElse("Audit trail OK: 0 entries (empty)"));
    }
    return problems.stream().map(Problem::message).toList();
  }
}
