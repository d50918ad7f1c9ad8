package org.sangfroid.gateway.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import org.sangfroid.core.check.Checks;
import org.sangfroid.gateway.alarm.AlarmChange;
import org.sangfroid.gateway.store.AlarmRow;
import org.sangfroid.gateway.user.Language;

/**
 * One message to tell people and systems about, with its texts: the e-mail's subject and body
 * and the webhook's JSON. Either an alarm change, or a test message (an alarm drill: blood
 * standards require the alarm path to be checked regularly).
 *
 * @param event what happened
 * @param alarm the alarm as stored (empty for a test message)
 * @param alarmUrl the alarm in the gateway's API, e.g. {@code http://gw:8080/api/alarms/12} (or the
 *     gateway's base URL for a test message)
 * @param level the escalation step (1 = first) for {@link Event#ESCALATED}, else 0
 * @param onCall the people an escalation goes to (empty otherwise: the channel's own recipients)
 * @param note for a test message: who asked for it and why
 */
public record Notification(Event event, Optional<AlarmRow> alarm, String alarmUrl, int level, List<String> onCall,
    String note) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** What the message is about. */
  public enum Event {
    RAISED,
    CLEARED,
    /** Not acknowledged in time: the on-call chain is told. */
    ESCALATED,
    /** A test message, sent on purpose to prove the channel works. */
    TEST;

    /** As in JSON and the database: {@code raised}. */
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The event of {@code wire}. */
    public static Event fromWire(String wire) {
      return valueOf(wire.toUpperCase(Locale.ROOT));
    }
  }

  public Notification {
    Checks.requireNonNull("event", event);
    Checks.requireNonNull("alarm", alarm);
    Checks.requireNonNull("alarmUrl", alarmUrl);
    Checks.require(event == Event.TEST || alarm.isPresent(), "alarm", "empty", "be given for " + event.wire());
    Checks.require(event == Event.ESCALATED ? level > 0 : level == 0, "level", level,
        "be positive for an escalation and 0 otherwise");
    onCall = List.copyOf(onCall);
    Checks.requireNonNull("note", note);
  }

  /** The notification of {@code change}; {@code apiBase} is the API's base URL without a trailing '/'. */
  public static Notification of(AlarmChange change, String apiBase) {
    return of(Event.valueOf(change.type().name()), change.alarm(), apiBase, 0, List.of());
  }

  /** The notification of an alarm event; {@code level} and {@code onCall} for an escalation. */
  public static Notification of(Event event, AlarmRow alarm, String apiBase, int level, List<String> onCall) {
    return new Notification(event, Optional.of(alarm), apiBase + "/api/alarms/" + alarm.id(), level, onCall, "");
  }

  /** A test message: {@code note} says who asked for it (e.g. "alarm drill by j.alaoui"). */
  public static Notification test(String apiBase, String note) {
    return new Notification(Event.TEST, Optional.empty(), apiBase, 0, List.of(), note);
  }

  /** {@code raised}, {@code cleared}, {@code escalated} or {@code test}. */
  public String eventName() {
    return event.wire();
  }

  /** The alarm's id, 0 for a test message. */
  public long alarmId() {
    return alarm.map(AlarmRow::id).orElse(0L);
  }

  /** The e-mail's subject in English, times in UTC (see {@link MailTexts} for other languages). */
  public String subject() {
    return new MailTexts(Language.EN, ZoneOffset.UTC).subject(this);
  }

  /** The e-mail's plain-text body in English, times in UTC (see {@link MailTexts}). */
  public String body() {
    return new MailTexts(Language.EN, ZoneOffset.UTC).body(this);
  }

  /**
   * The webhook's body, UTF-8: {@code {"v":1,"event":"raised","alarm":{"id","site","unit","kind",
   * "state","startedAt","raisedAt","clearedAt","triggerValue","limit","peak","late","url"}}}, times
   * as ISO-8601 UTC strings, absent values as null. An escalation adds {@code "level"} and
   * {@code "onCall"} (the people told); a test message has {@code "alarm":null} and a
   * {@code "note"}.
   */
  public byte[] json() {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("v", 1);
    o.put("event", eventName());
    if (event == Event.ESCALATED) {
      o.put("level", level);
      onCall.forEach(o.putArray("onCall")::add);
    }
    if (alarm.isEmpty()) {
      o.putNull("alarm");
      o.put("note", note);
      o.put("gateway", alarmUrl);
      return o.toString().getBytes(StandardCharsets.UTF_8);
    }
    AlarmRow alarm = this.alarm.get();
    ObjectNode a = o.putObject("alarm");
    a.put("id", alarm.id());
    a.put("site", alarm.site());
    a.put("unit", alarm.unit());
    a.put("kind", alarm.kind().name());
    a.put("state", alarm.state().name());
    a.put("startedAt", Instant.ofEpochMilli(alarm.startedAt()).toString());
    a.put("raisedAt", Instant.ofEpochMilli(alarm.raisedAt()).toString());
    if (alarm.clearedAt().isPresent()) {
      a.put("clearedAt", Instant.ofEpochMilli(alarm.clearedAt().getAsLong()).toString());
    } else {
      a.putNull("clearedAt");
    }
    put(a, "triggerValue", alarm.triggerValue());
    put(a, "limit", alarm.limit());
    put(a, "peak", alarm.peak());
    a.put("late", alarm.late());
    a.put("url", alarmUrl);
    return o.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void put(ObjectNode o, String field, OptionalDouble d) {
    if (d.isPresent()) {
      o.put(field, d.getAsDouble());
    } else {
      o.putNull(field);
    }
  }
}
