package org.sangfroid.gateway.web;

import static org.sangfroid.gateway.web.Html.esc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.sangfroid.gateway.audit.AuditCheck;
import org.sangfroid.gateway.audit.AuditReport;
import org.sangfroid.gateway.audit.AuditTrail;
import org.sangfroid.gateway.config.Fleet;
import org.sangfroid.gateway.config.GatewayConfig.Unit;
import org.sangfroid.gateway.store.AuditQuery;
import org.sangfroid.gateway.store.AuditRow;
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.web.Pages.Notice;

/**
 * The audit trail page ({@code GET /audit}, quality managers and admins): the result of the chain
 * verification at the top ({@link AuditCheck}: kept, brought up to date at each visit, whole-trail
 * verification on demand with {@code POST /audit/verify}), then the entries, newest first,
 * {@value #PAGE} a page, filtered by a GET form (period, user, action, unit or subject). Each
 * entry's details are shown as "key: value" lines. Thread-safe.
 */
final class AuditPage {
  /** Entries a page. */
  static final int PAGE = 50;
  /** The actions the gateway writes, in the filter's order; each has its words (action.*) in both bundles. */
  static final List<String> ACTIONS = List.of("alarm.raised", "alarm.acknowledged", "alarm.cleared", "alarm.closed",
      "alarm.escalated", "notification.failed", "unit.restocked", "readings.lost", "config.loaded",
      "unit.settings.changed", "user.added", "user.language", AuditCheck.VERIFIED);
  /** Details longer than this (as stored) are folded: the configuration loaded at a start lists every unit. */
  private static final int FOLD = 400;
  private static final Pattern RUN = Pattern.compile("entries (\\d+)-(\\d+):.*");

  private final GatewayStore store;
  private final AuditCheck check;
  private final Pages pages;
  private final Guard guard;
  private final Fleet fleet;
  private final ObjectMapper json = new ObjectMapper();

  AuditPage(GatewayStore store, AuditCheck check, Pages pages, Guard guard, Fleet fleet) {
    this.store = store;
    this.check = check;
    this.pages = pages;
    this.guard = guard;
    this.fleet = fleet;
  }

  /** What the filter form holds, as typed (shown again in the form and kept in the page links). */
  record Filter(String from, String to, String user, String action, String subject) {
    static Filter of(Context ctx) {
      return new Filter(q(ctx, "from"), q(ctx, "to"), q(ctx, "user"), q(ctx, "action"), q(ctx, "subject"));
    }

    private static String q(Context ctx, String name) {
      return Optional.ofNullable(ctx.queryParam(name)).orElse("").strip();
    }

    String query() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("from", from);
      m.put("to", to);
      m.put("user", user);
      m.put("action", action);
      m.put("subject", subject);
      return m.entrySet().stream().filter(e -> !e.getValue().isEmpty())
          .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
          .collect(Collectors.joining("&"));
    }
  }

  void show(Context ctx) {
    Session s = Guard.session(ctx);
    Texts t = guard.texts(s.language());
    Filter f = Filter.of(ctx);
    List<String> wrong = new ArrayList<>();
    ZoneId zone = guard.zone();
    OptionalLong from = day(f.from(), zone, 0, t, "from", wrong);
    OptionalLong to = day(f.to(), zone, 1, t, "to", wrong); // the whole day "to" is included
    OptionalLong before = OptionalLong.empty();
    String beforeText = Optional.ofNullable(ctx.queryParam("before")).orElse("");
    if (!beforeText.isBlank()) {
      try {
        before = OptionalLong.of(Long.parseLong(beforeText.strip()));
      } catch (NumberFormatException e) {
        wrong.add(t.t("audit.badBefore", beforeText));
      }
    }
    AuditQuery q = new AuditQuery(from, to, opt(f.user()).map(u -> u.equals(t.t("history.system")) ? AuditTrail.SYSTEM
        : u), opt(f.action()), opt(f.subject()), before);
    List<AuditRow> rows = store.auditSearch(q, PAGE + 1);
    boolean more = rows.size() > PAGE;
    if (more) {
      rows = rows.subList(0, PAGE);
    }
    AuditCheck.Status status = check.status();
    Optional<Notice> notice = !wrong.isEmpty() ? Optional.of(new Notice(String.join(" ", wrong), true))
        : "1".equals(ctx.queryParam("verified")) ? Optional.of(new Notice(t.t("audit.verifiedNow"), false))
        : Optional.empty();
    String body = verification(t, s, status) + form(t, f) + entries(t, rows, status.report(), f, more,
        before.isPresent());
    ctx.status(wrong.isEmpty() ? 200 : 400).html(pages.framed(t, s, t.t("audit.title"), "/audit", body, notice));
  }

  void verify(Context ctx) {
    Session s = Guard.session(ctx);
    check.verifyNow(s.user());
    ctx.redirect("/audit?verified=1", HttpStatus.SEE_OTHER);
  }

  private static Optional<String> opt(String text) {
    return text.isEmpty() ? Optional.empty() : Optional.of(text);
  }

  /** The start of day {@code text} (yyyy-mm-dd) plus {@code plusDays}, in {@code zone}; empty if none or wrong. */
  private static OptionalLong day(String text, ZoneId zone, int plusDays, Texts t, String field, List<String> wrong) {
    if (text.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(LocalDate.parse(text).plusDays(plusDays).atStartOfDay(zone).toInstant().toEpochMilli());
    } catch (DateTimeParseException e) {
      wrong.add(t.t("audit.badDate", t.t("audit." + field), text));
      return OptionalLong.empty();
    }
  }

  // ---- the verification ----

  private String verification(Texts t, Session s, AuditCheck.Status st) {
    AuditReport r = st.report();
    StringBuilder b = new StringBuilder();
    String css = !r.ok() ? "broken" : st.behind() ? "behind" : "ok";
    b.append("<section class=\"verify ").append(css).append("\" id=\"verification\">\n<h2>")
        .append(esc(t.t("audit.verification"))).append("</h2>\n");
    long checked = r.head().map(AuditReport.Head::seq).orElse(0L);
    if (!r.ok()) {
      b.append("<p class=\"verdict\" id=\"verdict\"><strong>").append(esc(t.t("audit.broken", r.problems().size())))
          .append("</strong></p>\n<ul class=\"problems\" id=\"problems\">\n");
      for (AuditReport.Problem p : r.problems()) {
        b.append("<li data-seq=\"").append(p.seq()).append("\">").append(esc(problem(t, p)))
            .append("<small>").append(esc(p.message())).append("</small></li>\n");
      }
      b.append("</ul>\n<p>").append(esc(t.t("audit.brokenWhatToDo"))).append("</p>\n");
    } else if (st.entries() == 0) {
      b.append("<p class=\"verdict\" id=\"verdict\">").append(esc(t.t("audit.empty"))).append("</p>\n");
    } else if (st.behind()) {
      b.append("<p class=\"verdict\" id=\"verdict\"><strong>").append(esc(t.t("audit.partial", t.number(checked),
          t.number(st.entries())))).append("</strong></p>\n");
    } else {
      b.append("<p class=\"verdict\" id=\"verdict\"><strong>").append(esc(t.t("audit.ok", t.number(checked))))
          .append("</strong></p>\n");
    }
    r.head().ifPresent(h -> b.append("<p class=\"head\">").append(esc(t.t("audit.head", t.number(h.seq()))))
        .append(" <code id=\"head-hash\">").append(esc(h.hash())).append("</code></p>\n"));
    b.append("<p class=\"hint\">").append(esc(t.t("audit.checkedAt", t.time(st.checkedAt()))));
    if (st.lastFull().isPresent()) {
      AuditCheck.Full full = st.lastFull().get();
      b.append(' ').append(esc(t.t("audit.lastFull", t.time(full.at()), full.by())));
    } else {
      b.append(' ').append(esc(t.t("audit.noFull")));
    }
    b.append("</p>\n<form method=\"post\" action=\"/audit/verify\" id=\"verify-now\">").append(Pages.csrf(s))
        .append("<button type=\"submit\">").append(esc(t.t("audit.verifyNow"))).append("</button> <span class=\"hint\">")
        .append(esc(t.t("audit.verifyNowHelp"))).append("</span></form>\n</section>\n");
    return b.toString();
  }

  /** A problem in a quality manager's words. */
  static String problem(Texts t, AuditReport.Problem p) {
    return switch (p.kind()) {
      case "altered" -> t.t("audit.problem.altered", p.seq());
      case "missing" -> {
        Matcher m = RUN.matcher(p.message()); // AuditVerifier writes a run of deleted entries as "entries A-B: …"
        yield m.matches() ? t.t("audit.problem.missingRun", m.group(1), m.group(2))
            : t.t("audit.problem.missing", p.seq());
      }
      case "duplicate" -> t.t("audit.problem.duplicate", p.seq());
      default -> t.t("audit.problem.brokenLink", p.seq());
    };
  }

  // ---- the filter ----

  private String form(Texts t, Filter f) {
    StringBuilder b = new StringBuilder("<form method=\"get\" action=\"/audit\" class=\"filters\" id=\"filters\">\n");
    b.append(input(t, "from", "date", f.from())).append(input(t, "to", "date", f.to()))
        .append(input(t, "user", "text", f.user()));
    b.append("<label>").append(esc(t.t("audit.action"))).append(" <select name=\"action\" id=\"filter-action\">")
        .append("<option value=\"\">").append(esc(t.t("audit.anyAction"))).append("</option>");
    for (String a : ACTIONS) {
      b.append("<option value=\"").append(esc(a)).append('"').append(a.equals(f.action()) ? " selected" : "")
          .append('>').append(esc(t.t("action." + a))).append("</option>");
    }
    b.append("</select></label>\n")
        .append("<label>").append(esc(t.t("audit.subject"))).append(" <input name=\"subject\" id=\"filter-subject\" list=\"units\" value=\"")
        .append(esc(f.subject())).append("\" placeholder=\"").append(esc(t.t("audit.subjectHint"))).append("\"></label>\n")
        .append("<datalist id=\"units\">");
    for (Unit u : fleet.units()) {
      b.append("<option value=\"").append(esc(u.id())).append("\">").append(esc(u.name())).append("</option>");
    }
    b.append("</datalist>\n<button type=\"submit\">").append(esc(t.t("audit.filter"))).append("</button> <a href=\"/audit\">")
        .append(esc(t.t("audit.clear"))).append("</a>\n</form>\n");
    return b.toString();
  }

  private static String input(Texts t, String name, String type, String value) {
    return "<label>" + esc(t.t("audit." + name)) + " <input name=\"" + name + "\" id=\"filter-" + name + "\" type=\""
        + type + "\" value=\"" + esc(value) + "\"></label>\n";
  }

  // ---- the entries ----

  private String entries(Texts t, List<AuditRow> rows, AuditReport report, Filter f, boolean more, boolean paged) {
    StringBuilder b = new StringBuilder();
    if (rows.isEmpty()) {
      b.append("<p class=\"empty\" id=\"entries\">").append(esc(t.t("audit.none"))).append("</p>\n");
    } else {
      Set<Long> bad = report.problems().stream().map(AuditReport.Problem::seq).collect(Collectors.toSet());
      b.append("<table class=\"audit\" id=\"entries\">\n<thead><tr>");
      for (String c : new String[] {"audit.col.seq", "audit.col.time", "audit.col.user", "audit.col.action",
          "audit.col.subject", "audit.col.details"}) {
        b.append("<th>").append(esc(t.t(c))).append("</th>");
      }
      b.append("</tr></thead>\n<tbody>\n");
      for (AuditRow r : rows) {
        b.append("<tr data-seq=\"").append(r.seq()).append('"').append(bad.contains(r.seq()) ? " class=\"bad\"" : "")
            .append("><td class=\"seq\">").append(r.seq()).append("</td><td class=\"time\">").append(esc(t.time(r.time())))
            .append("</td><td class=\"user\">").append(esc(r.actor().equals(AuditTrail.SYSTEM) ? t.t("history.system")
                : r.actor())).append("</td><td class=\"action\">").append(esc(action(t, r.action())))
            .append("<small>").append(esc(r.action())).append("</small></td><td class=\"subject\">")
            .append(subject(r.subject())).append("</td><td class=\"details\">").append(details(t, r.details()))
            .append("</td></tr>\n");
      }
      b.append("</tbody></table>\n");
    }
    String query = f.query();
    b.append("<p class=\"pages\">");
    if (paged) {
      b.append("<a href=\"/audit").append(query.isEmpty() ? "" : "?" + esc(query)).append("\" id=\"newest\">")
          .append(esc(t.t("audit.newest"))).append("</a> ");
    }
    if (more) {
      b.append("<a href=\"/audit?").append(esc(query.isEmpty() ? "" : query + "&")).append("before=")
          .append(rows.get(rows.size() - 1).seq()).append("\" id=\"older\">").append(esc(t.t("audit.older")))
          .append("</a>");
    }
    return b.append("</p>\n").toString();
  }

  private static String action(Texts t, String action) {
    return ACTIONS.contains(action) ? t.t("action." + action) : action;
  }

  /** The subject, linked to the alarm's page when it is an alarm. */
  private static String subject(String subject) {
    if (subject.matches("alarm/\\d{1,18}")) {
      return "<a href=\"/alarms/" + subject.substring(6) + "\">" + esc(subject) + "</a>";
    }
    return esc(subject);
  }

  /** The details as "key: value" lines; long ones folded. Damaged JSON is shown as stored (the verification tells). */
  private String details(Texts t, String text) {
    JsonNode node;
    try {
      node = json.readTree(text);
    } catch (JsonProcessingException e) {
      return "<code>" + esc(text) + "</code>";
    }
    if (node == null || (node.isObject() && node.isEmpty())) {
      return "";
    }
    String shown = value(t, "", node);
    if (text.length() > FOLD) {
      return "<details><summary>" + esc(t.t("audit.showDetails", node.size())) + "</summary>" + shown + "</details>";
    }
    return shown;
  }

  private String value(Texts t, String key, JsonNode v) {
    if (v.isObject()) {
      StringBuilder b = new StringBuilder("<dl class=\"kv\">");
      for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        b.append("<dt>").append(esc(e.getKey())).append("</dt><dd>").append(value(t, e.getKey(), e.getValue()))
            .append("</dd>");
      }
      return b.append("</dl>").toString();
    }
    if (v.isArray()) {
      boolean flat = true;
      for (JsonNode item : v) {
        flat &= item.isValueNode();
      }
      if (flat) {
        List<String> items = new ArrayList<>();
        v.forEach(item -> items.add(value(t, key, item)));
        return items.isEmpty() ? "—" : String.join(", ", items);
      }
      StringBuilder b = new StringBuilder("<ol>");
      v.forEach(item -> b.append("<li>").append(value(t, key, item)).append("</li>"));
      return b.append("</ol>").toString();
    }
    if (v.isNull()) {
      return "—";
    }
    if (v.isBoolean()) {
      return esc(t.t(v.booleanValue() ? "audit.yes" : "audit.no"));
    }
    if (v.isIntegralNumber() && (key.endsWith("At") || key.equals("time") || key.equals("from") || key.equals("to"))
        && v.longValue() > 946_684_800_000L) { // epoch ms after 2000: a time
      return esc(t.time(v.longValue()));
    }
    return esc(v.asText());
  }
}
