package org.sangfroid.gateway.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import org.sangfroid.core.check.Checks;
import org.sangfroid.gateway.alarm.AlarmChange;
import org.sangfroid.gateway.store.AlarmRow;

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
  private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

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

  /** E.g. {@code [Sangfroid] ALARM HIGH_TEMPERATURE rbc-fridge-1 (demo-centre) since 10:03 UTC}. */
  public String subject() {
    if (alarm.isEmpty()) {
      return "[Sangfroid] TEST message: notifications reach you (no action needed)";
    }
    AlarmRow a = alarm.get();
    String unit = a.kind().name() + " " + a.unit() + " (" + a.site() + ")";
    return switch (event) {
      case RAISED -> "[Sangfroid] ALARM " + unit + " since " + hour(a.startedAt()) + " UTC";
      case CLEARED -> "[Sangfroid] CLEARED " + unit + " at "
          + (a.clearedAt().isPresent() ? hour(a.clearedAt().getAsLong()) : "?") + " UTC";
      case ESCALATED -> "[Sangfroid] NOT ACKNOWLEDGED (reminder " + level + ") ALARM " + unit + " since "
          + hour(a.startedAt()) + " UTC";
      case TEST -> throw new IllegalStateException("a test message has no alarm");
    };
  }

  /** The e-mail's plain-text body: one fact a line, times in ISO-8601 UTC. */
  public String body() {
    StringBuilder b = new StringBuilder();
    if (alarm.isEmpty()) {
      b.append("This is a test message from Sangfroid");
      if (!note.isEmpty()) {
        b.append(" (").append(note).append(')');
      }
      b.append(".\n\nIf you read it, Sangfroid's alarm notifications reach you through this channel.\n")
          .append("Nothing needs to be done, apart from recording the drill if your procedures ask for it.\n\n")
          .append("Gateway: ").append(alarmUrl).append('\n');
      return b.toString();
    }
    AlarmRow a = alarm.get();
    if (event == Event.ESCALATED) {
      b.append("Alarm ").append(a.id()).append(" has not been acknowledged (reminder ").append(level)
          .append("). You are on call for this site: please check the unit and acknowledge the alarm.\n\n");
    } else {
      b.append("Alarm ").append(a.id()).append(' ').append(eventName()).append(".\n\n");
    }
    line(b, "Unit", a.unit());
    line(b, "Site", a.site());
    line(b, "Kind", a.kind().name());
    line(b, "Started", Instant.ofEpochMilli(a.startedAt()).toString());
    line(b, "Raised", Instant.ofEpochMilli(a.raisedAt()).toString());
    if (a.clearedAt().isPresent()) {
      line(b, "Cleared", Instant.ofEpochMilli(a.clearedAt().getAsLong()).toString());
    }
    line(b, "Value", celsius(a.triggerValue()));
    line(b, "Limit", celsius(a.limit()));
    line(b, "Peak", celsius(a.peak()));
    line(b, "Late", a.late() ? "yes (readings from a backlog)" : "no");
    line(b, "State", a.state().name());
    b.append('\n').append("Acknowledge and close it in Sangfroid: ").append(alarmUrl).append('\n');
    return b.toString();
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

  private static String hour(long epochMillis) {
    return HOUR.format(Instant.ofEpochMilli(epochMillis));
  }

  private static void line(StringBuilder b, String name, String value) {
    b.append(String.format(Locale.ROOT, "%-8s %s%n", name + ":", value).replace(System.lineSeparator(), "\n"));
  }

  private static String celsius(OptionalDouble d) {
    return d.isPresent() ? d.getAsDouble() + " °C" : "-";
  }

  private static void put(ObjectNode o, String field, OptionalDouble d) {
    if (d.isPresent()) {
      o.put(field, d.getAsDouble());
    } else {
      o.putNull(field);
    }
  }
}
