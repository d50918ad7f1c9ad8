package org.sangfroid.gateway.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.OptionalDouble;
import org.sangfroid.core.check.Checks;
import org.sangfroid.gateway.alarm.AlarmChange;
import org.sangfroid.gateway.store.AlarmRow;

/**
 * One alarm change to tell people and systems about, with its texts: the e-mail's subject and
 * body and the webhook's JSON.
 *
 * @param event what happened
 * @param alarm the alarm as stored after the change
 * @param alarmUrl the alarm in the gateway's API, e.g. {@code http://gw:8080/api/alarms/12}
 */
public record Notification(AlarmChange.Type event, AlarmRow alarm, String alarmUrl) {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

  public Notification {
    Checks.requireNonNull("event", event);
    Checks.requireNonNull("alarm", alarm);
    Checks.requireNonNull("alarmUrl", alarmUrl);
  }

  /** The notification of {@code change}; {@code apiBase} is the API's base URL without a trailing '/'. */
  public static Notification of(AlarmChange change, String apiBase) {
    return new Notification(change.type(), change.alarm(), apiBase + "/api/alarms/" + change.alarm().id());
  }

  /** {@code raised} or {@code cleared}. */
  public String eventName() {
    return event.name().toLowerCase(Locale.ROOT);
  }

  /** E.g. {@code [Sangfroid] ALARM HIGH_TEMPERATURE rbc-fridge-1 (demo-centre) since 10:03 UTC}. */
  public String subject() {
    if (event == AlarmChange.Type.RAISED) {
      return "[Sangfroid] ALARM " + alarm.kind().name() + " " + alarm.unit() + " (" + alarm.site() + ") since "
          + HOUR.format(Instant.ofEpochMilli(alarm.startedAt())) + " UTC";
    }
    return "[Sangfroid] CLEARED " + alarm.kind().name() + " " + alarm.unit() + " (" + alarm.site() + ") at "
        + (alarm.clearedAt().isPresent() ? HOUR.format(Instant.ofEpochMilli(alarm.clearedAt().getAsLong())) : "?")
        + " UTC";
  }

  /** The e-mail's plain-text body: one fact a line, times in ISO-8601 UTC. */
  public String body() {
    StringBuilder b = new StringBuilder();
    b.append("Alarm ").append(alarm.id()).append(' ').append(eventName()).append(".\n\n");
    line(b, "Unit", alarm.unit());
    line(b, "Site", alarm.site());
    line(b, "Kind", alarm.kind().name());
    line(b, "Started", Instant.ofEpochMilli(alarm.startedAt()).toString());
    line(b, "Raised", Instant.ofEpochMilli(alarm.raisedAt()).toString());
    if (alarm.clearedAt().isPresent()) {
      line(b, "Cleared", Instant.ofEpochMilli(alarm.clearedAt().getAsLong()).toString());
    }
    line(b, "Value", celsius(alarm.triggerValue()));
    line(b, "Limit", celsius(alarm.limit()));
    line(b, "Peak", celsius(alarm.peak()));
    line(b, "Late", alarm.late() ? "yes (readings from a backlog)" : "no");
    line(b, "State", alarm.state().name());
    b.append('\n').append("Acknowledge and close it in Sangfroid: ").append(alarmUrl).append('\n');
    return b.toString();
  }

  /**
   * The webhook's body, UTF-8: {@code {"v":1,"event":"raised","alarm":{"id","site","unit","kind",
   * "state","startedAt","raisedAt","clearedAt","triggerValue","limit","peak","late","url"}}}, times
   * as ISO-8601 UTC strings, absent values as null.
   */
  public byte[] json() {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("v", 1);
    o.put("event", eventName());
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
