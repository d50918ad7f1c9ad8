package org.sangfroid.gateway.report;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.sangfroid.core.check.Checks;
import org.sangfroid.gateway.audit.AuditTrail;
import org.sangfroid.gateway.store.AuditRow;
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.store.SignatureRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a quality manager's signature of a monthly report: the signature row and its audit
 * entry ({@code report.signed}, with the content hash) in one transaction. The caller has checked
 * the login and the role. Thread-safe.
 */
public final class ReportSigner {
  /** Longest comment accepted. */
  public static final int MAX_COMMENT = 4000;
  private static final Logger LOG = LoggerFactory.getLogger(ReportSigner.class);

  private final GatewayStore store;
  private final AuditTrail audit;
  private final Clock clock;

  /** @param clock the gateway clock: when the signature was made */
  public ReportSigner(GatewayStore store, Clock clock) {
    this.store = store;
    this.audit = new AuditTrail(clock);
    this.clock = clock;
  }

  /** What came of a signature. */
  public sealed interface Outcome {}

  /** Signed and committed. */
  public record Signed(SignatureRow signature, AuditRow audit) implements Outcome {}

  /**
   * Not signed.
   *
   * @param reasons why, as text keys of the web app's bundles ({@code report.refused.*})
   * @param message why, in the {@link Checks} format (for the log and the API)
   */
  public record Refused(List<String> reasons, String message) implements Outcome {
    public Refused {
      reasons = List.copyOf(reasons);
    }
  }

  /**
   * {@code user} signs {@code report}, declaring {@code statement}.
   *
   * @param seenHash the content hash of the report as the signer saw it; when the data changed
   *     since (late readings), the signature is refused: they must review it again
   * @param confirmed whether the signer ticked the statement
   */
  public Outcome sign(MonthlyReport report, String user, String statement, boolean confirmed, String comment,
      String seenHash) {
    List<String> problems = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    if (!confirmed) {
      reasons.add("report.refused.statement");
      problems.add(Checks.message("statement", "not ticked", "be ticked to sign"));
    }
    String note = comment == null ? "" : comment.strip();
    if (note.length() > MAX_COMMENT) {
      reasons.add("report.refused.comment");
      problems.add(Checks.message("comment", note.length() + " characters", "be at most " + MAX_COMMENT
          + " characters"));
    }
    if (!report.complete()) {
      reasons.add("report.refused.month");
      problems.add(Checks.message("month", report.period(), "be over before its report is signed"));
    }
    String hash = report.contentHash();
    if (seenHash == null || !seenHash.equals(hash)) {
      reasons.add("report.refused.changed");
      problems.add(Checks.message("report", report.period(), "be reviewed again",
          "its data changed since it was shown"));
    }
    if (!problems.isEmpty()) {
      return new Refused(reasons, String.join(" ", problems));
    }
    Signed signed = store.write(tx -> {
      Map<String, Object> details = new TreeMap<>();
      details.put("unit", report.unit().id());
      details.put("month", report.period());
      details.put("contentHash", hash);
      details.put("statement", statement);
      details.put("comment", note.isEmpty() ? null : note);
      details.put("authenticated", true);
      AuditRow a = audit.append(tx, user, "report.signed", "report/" + report.unit().id() + "/" + report.period(),
          details);
      SignatureRow s = tx.insertSignature(new SignatureRow(0, report.unit().id(), report.period(), hash, user,
          clock.millis(), statement, note.isEmpty() ? Optional.empty() : Optional.of(note), a.seq()));
      return new Signed(s, a);
    });
    LOG.info("Monthly report of {} for {} signed by {} (content hash {})", report.unit().id(), report.period(), user,
        hash);
    AuditTrail.logHead(Optional.of(signed.audit()));
    return signed;
  }
}
