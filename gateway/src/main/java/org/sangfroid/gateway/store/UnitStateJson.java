package org.sangfroid.gateway.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.core.excursion.RuleState;
import org.sangfroid.core.excursion.UnitState;

/**
 * The excursion engine's {@link UnitState} as JSON, written field by field so the stored form
 * does not follow renames in code by accident. JSON has no NaN or infinities: non-finite doubles
 * are written as the strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"}, and
 * {@link UnitState#NEVER} as {@code null}. Version 2 keeps one entry per rule; version 1 (the
 * Foundation's high and low limits only) is still read.
 */
public final class UnitStateJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int VERSION = 2;

  private UnitStateJson() {}

  /** {@code state} as JSON text. */
  public static String write(UnitState s) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("v", VERSION);
    putTime(o, "watchSince", s.watchSince());
    putTime(o, "lastSampleAt", s.lastSampleAt());
    putTime(o, "lastValidAt", s.lastValidAt());
    putDouble(o, "lastCelsius", s.lastCelsius());
    ObjectNode rules = o.putObject("rules");
    s.rules().forEach((kind, r) -> rules.set(kind.name(), rule(r)));
    putTime(o, "monitoringLostSince", s.monitoringLostSince());
    return o.toString();
  }

  /** Reads what {@link #write} wrote; a damaged value fails with a {@link StoreException}. */
  public static UnitState read(String json) {
    try {
      JsonNode o = MAPPER.readTree(json);
      if (o == null || !o.isObject() || (o.path("v").asInt() != VERSION && o.path("v").asInt() != 1)) {
        throw new IllegalArgumentException("not a version 1 or " + VERSION + " unit state");
      }
      Map<AlarmKind, RuleState> rules = new EnumMap<>(AlarmKind.class);
      if (o.path("v").asInt() == 1) {
        putIfActive(rules, AlarmKind.HIGH_TEMPERATURE, rule(o.get("high")));
        putIfActive(rules, AlarmKind.LOW_TEMPERATURE, rule(o.get("low")));
      } else {
        JsonNode stored = o.get("rules");
        if (stored == null || !stored.isObject()) {
          throw new IllegalArgumentException("rules missing");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = stored.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          rules.put(AlarmKind.valueOf(e.getKey()), rule(e.getValue()));
        }
      }
      return new UnitState(
          time(o, "watchSince"),
          time(o, "lastSampleAt"),
          time(o, "lastValidAt"),
          dbl(o, "lastCelsius"),
          rules,
          time(o, "monitoringLostSince"));
    } catch (JsonProcessingException | RuntimeException e) {
      throw new StoreException("stored unit state cannot be read: " + json, e);
    }
  }

  private static void putIfActive(Map<AlarmKind, RuleState> rules, AlarmKind kind, RuleState r) {
    if (!r.equals(RuleState.NORMAL)) {
      rules.put(kind, r);
    }
  }

  private static ObjectNode rule(RuleState r) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("phase", r.phase().name());
    putTime(o, "since", r.since());
    putTime(o, "raisedAt", r.raisedAt());
    putDouble(o, "peak", r.peak());
    o.put("totalMillis", r.totalMillis());
    o.put("episodes", r.episodes());
    putTime(o, "lastAt", r.lastAt());
    o.put("beyondAtLast", r.beyondAtLast());
    return o;
  }

  /** A rule's state; the fields version 1 did not have default to nothing counted yet. */
  private static RuleState rule(JsonNode o) {
    if (o == null || !o.isObject()) {
      throw new IllegalArgumentException("rule state missing");
    }
    return new RuleState(RuleState.Phase.valueOf(o.path("phase").asText()),
        time(o, "since"), time(o, "raisedAt"), dbl(o, "peak"),
        o.path("totalMillis").asLong(0), o.path("episodes").asInt(0),
        o.has("lastAt") ? time(o, "lastAt") : UnitState.NEVER, o.path("beyondAtLast").asBoolean(false));
  }

  private static void putTime(ObjectNode o, String field, long t) {
    if (t == UnitState.NEVER) {
      o.putNull(field);
    } else {
      o.put(field, t);
    }
  }

  private static long time(JsonNode o, String field) {
    JsonNode n = o.get(field);
    if (n == null) {
      throw new IllegalArgumentException(field + " missing");
    }
    if (n.isNull()) {
      return UnitState.NEVER;
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw new IllegalArgumentException(field + " is not a time");
    }
    return n.asLong();
  }

  private static void putDouble(ObjectNode o, String field, double d) {
    if (Double.isFinite(d)) {
      o.put(field, d);
    } else {
      o.put(field, Double.toString(d)); // "NaN", "Infinity", "-Infinity"
    }
  }

  private static double dbl(JsonNode o, String field) {
    JsonNode n = o.get(field);
    if (n == null) {
      throw new IllegalArgumentException(field + " missing");
    }
    if (n.isNumber()) {
      return n.asDouble();
    }
    return switch (n.asText()) {
      case "NaN" -> Double.NaN;
      case "Infinity" -> Double.POSITIVE_INFINITY;
      case "-Infinity" -> Double.NEGATIVE_INFINITY;
      default -> throw new IllegalArgumentException(field + " is not a number");
    };
  }
}
