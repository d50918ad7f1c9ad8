package org.sangfroid.gateway.alarm;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.excursion.ExcursionEngine;
import org.sangfroid.core.excursion.UnitState;
import org.sangfroid.gateway.audit.AuditTrail;
import org.sangfroid.gateway.config.Fleet;
import org.sangfroid.gateway.config.GatewayConfig.Unit;
import org.sangfroid.gateway.store.Acknowledgement;
import org.sangfroid.gateway.store.AlarmHistoryRow;
import org.sangfroid.gateway.store.AlarmRow;
import org.sangfroid.gateway.store.AuditRow;
import org.sangfroid.gateway.store.Closure;
import org.sangfroid.gateway.store.Disposition;
import org.sangfroid.gateway.store.GatewayStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What people do to alarms: acknowledge (with a reason) and close (with a root cause and a
 * product disposition). Each action checks its input, then, in one transaction, checks the
 * lifecycle ({@link AlarmLifecycle}) against the stored alarm, updates it, appends to its history
 * and to the audit trail. The user is the one logged in to the web app or the API, which checked
 * who they are and that their role allows the action: the audit details say
 * {@code "authenticated": true}. Outcomes are values. Thread-safe.
 */
public final class AlarmDesk {
  /** Longest user name accepted. */
  public static final int MAX_USER = 100;
  /** Longest comment or root cause accepted. */
  public static final int MAX_TEXT = 4000;

  private static final Logger LOG = LoggerFactory.getLogger(AlarmDesk.class);

  private final GatewayStore store;
  private final AuditTrail audit;
  private final Clock clock;
  private final Fleet fleet;
  private final AlarmBook book;

  /** @param clock the gateway clock: when people acted */
  public AlarmDesk(GatewayStore store, Clock clock) {
    this(store, clock, null, null);
  }

  /** As above, with what {@link #restock} needs: the units and the alarm book. */
  public AlarmDesk(GatewayStore store, Clock clock, Fleet fleet, AlarmBook book) {
    this.store = store;
    this.audit = new AuditTrail(clock);
    this.clock = clock;
    this.fleet = fleet;
    this.book = book;
  }

  /** What came of an action. */
  public sealed interface Outcome {}

  /** Done and committed: the alarm as stored now, and the audit entry. */
  public record Done(AlarmRow alarm, AuditRow audit) implements Outcome {}

  /** The input is wrong (HTTP 400): every problem, in the {@link Checks} format. */
  public record Invalid(List<String> problems) implements Outcome {
    public Invalid {
      problems = List.copyOf(problems);
    }

    /** The problems on one line. */
    public String message() {
      return String.join(" ", problems);
    }
  }

  /** No such alarm (HTTP 404). */
  public record NotFound(String message) implements Outcome {}

  /** Not allowed in the alarm's present state (HTTP 409). */
  public record Refused(String message) implements Outcome {}

  /** A new product stay started: the audit entry, and the alarms it ended (committed). */
  public record Restocked(AuditRow audit, List<AlarmChange> cleared) implements Outcome {
    public Restocked {
      cleared = List.copyOf(cleared);
    }
  }

  /**
   * {@code user} says unit {@code unitId} was emptied and restocked (or a transport box packed
   * for a new trip) now: the cumulative exposure, episode counts and trip time start again, and
   * their alarms clear (see {@link ExcursionEngine#restock}). Audited as {@code unit.restocked}.
   * The alarms stay open until closed: their products still need a decision.
   */
  public Outcome restock(String unitId, String user, String comment) {
    if (fleet == null || book == null) {
      throw new IllegalStateException("this desk was made without the units and the alarm book");
    }
    Optional<Unit> unit = fleet.unit(unitId);
    if (unit.isEmpty()) {
      return new NotFound("unit [" + unitId + "] is not configured.");
    }
    List<String> problems = new ArrayList<>();
    String who = user(user, problems);
    String why = text("comment", comment, problems);
    if (!problems.isEmpty()) {
      return new Invalid(problems);
    }
    Unit u = unit.get();
    Restocked done = store.write(tx -> {
      long now = clock.millis();
      UnitState before = book.state(tx, u, now);
      ExcursionEngine.Outcome outcome = ExcursionEngine.restock(u.profile(), before, now);
      tx.saveUnitState(u.id(), outcome.state(), now);
      List<AlarmChange> cleared = book.record(tx, u, outcome.events());
      Map<String, Object> details = new TreeMap<>();
      details.put("site", u.site());
      details.put("unit", u.id());
      details.put("comment", why);
      details.put("cleared", cleared.stream().map(c -> c.alarm().id()).toList());
      details.put("authenticated", true);
      return new Restocked(audit.append(tx, who, "unit.restocked", "unit/" + u.id(), details), cleared);
    });
    book.committed(done.cleared());
    LOG.info("Unit {} restocked by {} ({} stay alarms ended): {}", unitId, who, done.cleared().size(), why);
    AuditTrail.logHead(Optional.of(done.audit()));
    return done;
  }

  /**
   * {@code user} acknowledges alarm {@code id}, giving {@code comment} as the reason.
   *
   * @param user and {@code comment}: null is taken as empty
   */
  public Outcome acknowledge(long id, String user, String comment) {
    List<String> problems = new ArrayList<>();
    String who = user(user, problems);
    String why = text("comment", comment, problems);
    if (!problems.isEmpty()) {
      return new Invalid(problems);
    }
    Outcome outcome = store.write(tx -> {
      Optional<AlarmRow> found = tx.findAlarm(id);
      if (found.isEmpty()) {
        return notFound(id);
      }
      Optional<String> refused = AlarmLifecycle.refuseAcknowledge(found.get());
      if (refused.isPresent()) {
        return new Refused(refused.get());
      }
      long now = clock.millis();
      AlarmRow a = tx.acknowledgeAlarm(id, new Acknowledgement(who, now, why));
      tx.addAlarmHistory(new AlarmHistoryRow(id, now, "acknowledged", who, Optional.of(why), now));
      Map<String, Object> details = AlarmBook.subject(a);
      details.put("comment", why);
      details.put("conditionOn", a.conditionOn());
      details.put("authenticated", true);
      return new Done(a, audit.append(tx, who, "alarm.acknowledged", AlarmBook.subjectOf(a), details));
    });
    if (outcome instanceof Done d) {
      LOG.info("Alarm {} acknowledged by {}: {}", id, who, why);
      AuditTrail.logHead(Optional.of(d.audit()));
    }
    return outcome;
  }

  /**
   * {@code user} closes alarm {@code id} with the root cause found and the decision about the
   * products ({@code released}, {@code quarantined} or {@code discarded}).
   *
   * @param user and the others: null is taken as empty
   */
  public Outcome close(long id, String user, String rootCause, String disposition) {
    List<String> problems = new ArrayList<>();
    String who = user(user, problems);
    String cause = text("rootCause", rootCause, problems);
    Optional<Disposition> decision = Disposition.fromWire(disposition == null ? "" : disposition.trim());
    if (decision.isEmpty()) {
      problems.add(Checks.message("disposition", shown(disposition), "be released, quarantined or discarded"));
    }
    if (!problems.isEmpty()) {
      return new Invalid(problems);
    }
    Outcome outcome = store.write(tx -> {
      Optional<AlarmRow> found = tx.findAlarm(id);
      if (found.isEmpty()) {
        return notFound(id);
      }
      Optional<String> refused = AlarmLifecycle.refuseClose(found.get());
      if (refused.isPresent()) {
        return new Refused(refused.get());
      }
      long now = clock.millis();
      AlarmRow a = tx.closeAlarm(id, new Closure(who, now, cause, decision.get()));
      tx.addAlarmHistory(new AlarmHistoryRow(id, now, "closed", who,
          Optional.of("root cause: " + cause + "; products " + decision.get().wire()), now));
      Map<String, Object> details = AlarmBook.subject(a);
      details.put("rootCause", cause);
      details.put("disposition", decision.get().wire());
      details.put("conditionOn", a.conditionOn());
      details.put("authenticated", true);
      return new Done(a, audit.append(tx, who, "alarm.closed", AlarmBook.subjectOf(a), details));
    });
    if (outcome instanceof Done d) {
      LOG.info("Alarm {} closed by {}: products {}; root cause: {}", id, who, decision.get().wire(), cause);
      AuditTrail.logHead(Optional.of(d.audit()));
    }
    return outcome;
  }

  private static NotFound notFound(long id) {
    return new NotFound("alarm " + id + " does not exist.");
  }

  private static String user(String user, List<String> problems) {
    String u = user == null ? "" : user.strip();
    if (u.isEmpty()) {
      problems.add(Checks.message("user", shown(user), "not be blank"));
    } else if (u.length() > MAX_USER || u.codePoints().anyMatch(Character::isISOControl)) {
      problems.add(Checks.message("user", shown(user), "be at most " + MAX_USER + " characters on one line"));
    } else if (u.equals(AuditTrail.SYSTEM)) {
      problems.add(Checks.message("user", u, "not be " + AuditTrail.SYSTEM + " (the gateway's own name)"));
    }
    return u;
  }

  private static String text(String field, String value, List<String> problems) {
    String t = value == null ? "" : value.strip();
    if (t.isEmpty()) {
      problems.add(Checks.message(field, shown(value), "not be blank"));
    } else if (t.length() > MAX_TEXT) {
      problems.add(Checks.message(field, shown(value), "be at most " + MAX_TEXT + " characters"));
    }
    return t;
  }

  /** A value as shown in a message: empty for null, cut after 40 characters. */
  private static String shown(String value) {
    if (value == null) {
      return "";
    }
    return value.length() > 40 ? value.substring(0, 40) + "…" : value;
  }
}
