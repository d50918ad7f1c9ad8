package org.sangfroid.gateway.alarm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.OptionalDouble;
import org.sangfroid.gateway.store.AlarmRow;

/**
 * Alarm events as published on {@code sangfroid/v1/alarms/{site}/{unit}} for other systems
 * (QoS 1, not retained, best effort). Times are UTC epoch milliseconds, as everywhere on MQTT:
 *
 * <pre>
 * {"v":1,"event":"raised","id":3,"site":"casa-01","unit":"rbc-fridge-1","kind":"HIGH_TEMPERATURE",
 *  "state":"ACTIVE","startedAt":1795000000000,"raisedAt":1795000300000,"clearedAt":null,
 *  "triggerValue":7.2,"limit":6.0,"peak":7.5,"late":false}
 * </pre>
 */
public final class AlarmEvents {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private AlarmEvents() {}

  /** The JSON of one change. */
  public static byte[] encode(AlarmChange change) {
    AlarmRow a = change.alarm();
    ObjectNode o = MAPPER.createObjectNode();
    o.put("v", 1);
    o.put("event", change.type().name().toLowerCase(Locale.ROOT));
    o.put("id", a.id());
    o.put("site", a.site());
    o.put("unit", a.unit());
    o.put("kind", a.kind().name());
    o.put("state", a.state().name());
    o.put("startedAt", a.startedAt());
    o.put("raisedAt", a.raisedAt());
    if (a.clearedAt().isPresent()) {
      o.put("clearedAt", a.clearedAt().getAsLong());
    } else {
      o.putNull("clearedAt");
    }
    put(o, "triggerValue", a.triggerValue());
    put(o, "limit", a.limit());
    put(o, "peak", a.peak());
    o.put("late", a.late());
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
