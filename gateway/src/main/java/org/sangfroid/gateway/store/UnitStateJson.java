package org.sangfroid.gateway.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.core.excursion.RuleState;
import org.sangfroid.core.excursion.UnitState;

/**
 * The excursion engine's {@link UnitState} as JSON, written field by field so the stored form
 * does not follow renames in code by accident. JSON has no NaN or infinities: non-finite doubles
 * are written as the strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"}, and
 * {@link UnitState#NEVER} as {@code null}. Version 3 adds the stay's start, the calibration due
 * date and its alarm, and per rule the stretches beyond a limit ({@code spans}, windowed
 * exposure) and recent readings ({@code points}, rate of change), written only when there are
 * any. Version 2 (one entry per rule) and version 1 (the Foundation's high and low limits only)
 * are still read: what they did not have is "not yet known".
 */
public final class UnitStateJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int VERSION = 3;

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
    putTime(o, "stayStart", s.stayStart());
    putTime(o, "calibrationDue", s.calibrationDue());
    putTime(o, "calibrationOverdueSince", s.calibrationOverdueSince());
    return o.toString();
  }

  /** Reads what {@link #write} wrote; a damaged value fails with a {@link StoreException}. */
  public static UnitState read(String json) {
    try {
      JsonNode o = MAPPER.readTree(json);
      int version = o == null ? 0 : o.path("v").asInt();
      if (o == null || !o.isObject() || version < 1 || version > VERSION) {
        throw new IllegalArgumentException("not a version 1 to " + VERSION + " unit state");
      }
      Map<AlarmKind, RuleState> rules = new EnumMap<>(AlarmKind.class);
      if (version == 1) {
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
          time(o, "monitoringLostSince"),
          version < 3 ? UnitState.NEVER : time(o, "stayStart"),
          version < 3 ? UnitState.NEVER : time(o, "calibrationDue"),
          version < 3 ? UnitState.NEVER : time(o, "calibrationOverdueSince"));
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
    if (!r.spans().isEmpty()) {
      ArrayNode spans = o.putArray("spans");
      r.spans().forEach(span -> spans.addArray().add(span.from()).add(span.to()));
    }
    if (!r.points().isEmpty()) {
      ArrayNode points = o.putArray("points");
      r.points().forEach(pt -> {
        ArrayNode a = points.addArray().add(pt.time());
        if (Double.isFinite(pt.celsius())) {
          a.add(pt.celsius());
        } else {
          a.add(Double.toString(pt.celsius()));
        }
      });
    }
    return o;
  }

  /** A rule's state; the fields older versions did not have default to nothing counted yet. */
  private static RuleState rule(JsonNode o) {
    if (o == null || !o.isObject()) {
      throw new IllegalArgumentException("rule state missing");
    }
    List<RuleState.Span> spans = new ArrayList<>();
    for (JsonNode span : pairs(o, "spans")) {
      spans.add(new RuleState.Span(time(span, 0, "spans"), time(span, 1, "spans")));
    }
    List<RuleState.Point> points = new ArrayList<>();
    for (JsonNode point : pairs(o, "points")) {
      points.add(new RuleState.Point(time(point, 0, "points"), number(point.get(1), "points")));
    }
    return new RuleState(RuleState.Phase.valueOf(o.path("phase").asText()),
        time(o, "since"), time(o, "raisedAt"), dbl(o, "peak"),
        o.path("totalMillis").asLong(0), o.path("episodes").asInt(0),
        o.has("lastAt") ? time(o, "lastAt") : UnitState.NEVER, o.path("beyondAtLast").asBoolean(false),
        spans, points);
  }

  /** The two-element arrays of {@code field}, none when it is absent. */
  private static List<JsonNode> pairs(JsonNode o, String field) {
    JsonNode n = o.get(field);
    if (n == null) {
      return List.of();
    }
    if (!n.isArray()) {
      throw new IllegalArgumentException(field + " is not a list");
    }
    List<JsonNode> out = new ArrayList<>(n.size());
    for (JsonNode pair : n) {
      if (!pair.isArray() || pair.size() != 2) {
        throw new IllegalArgumentException(field + " holds " + pair + ", not a pair");
      }
      out.add(pair);
    }
    return out;
  }

  private static long time(JsonNode pair, int index, String field) {
    JsonNode n = pair.get(index);
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw new IllegalArgumentException(field + " holds " + pair + ", not times");
    }
    return n.asLong();
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
    return number(o.get(field), field);
  }

  private static double number(JsonNode n, String field) {
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
