package org.sangfroid.agent.alarm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.core.excursion.RuleState;
import org.sangfroid.core.excursion.UnitState;

/**
 * The local engine's {@link UnitState} as JSON, for the agent's own database. Written field by
 * field so the stored form does not follow renames in code by accident; {@link UnitState#NEVER} is
 * {@code null}, non-finite numbers are the strings {@code "NaN"}, {@code "Infinity"} and
 * {@code "-Infinity"}.
 *
 * <p>The agent's own codec, not the gateway's {@code UnitStateJson}: the agent may not depend on
 * the gateway module, and this form never leaves the device (a state it cannot read is dropped
 * and the unit starts afresh), so the two need not agree. If core ever carries one codec, both
 * should use it.
 */
final class UnitStateCodec {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  static final int VERSION = 1;

  private UnitStateCodec() {}

  /** {@code s} as JSON text. */
  static String write(UnitState s) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("v", VERSION);
    time(o, "watchSince", s.watchSince());
    time(o, "lastSampleAt", s.lastSampleAt());
    time(o, "lastValidAt", s.lastValidAt());
    number(o, "lastCelsius", s.lastCelsius());
    ObjectNode rules = o.putObject("rules");
    s.rules().forEach((kind, r) -> rules.set(kind.name(), rule(r)));
    time(o, "monitoringLostSince", s.monitoringLostSince());
    time(o, "stayStart", s.stayStart());
    time(o, "calibrationDue", s.calibrationDue());
    time(o, "calibrationOverdueSince", s.calibrationOverdueSince());
    return o.toString();
  }

  /**
   * Reads what {@link #write} wrote.
   *
   * @throws IllegalArgumentException naming what is wrong, if {@code json} is not such a state
   */
  static UnitState read(String json) {
    JsonNode o;
    try {
      o = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    }
    if (o == null || !o.isObject() || o.path("v").asInt() != VERSION) {
      throw new IllegalArgumentException("not a version " + VERSION + " unit state");
    }
    JsonNode stored = o.get("rules");
    if (stored == null || !stored.isObject()) {
      throw new IllegalArgumentException("rules missing");
    }
    Map<AlarmKind, RuleState> rules = new EnumMap<>(AlarmKind.class);
    for (Map.Entry<String, JsonNode> e : stored.properties()) {
      rules.put(AlarmKind.valueOf(e.getKey()), rule(e.getValue()));
    }
    return new UnitState(time(o, "watchSince"), time(o, "lastSampleAt"), time(o, "lastValidAt"),
        number(o.get("lastCelsius"), "lastCelsius"), rules, time(o, "monitoringLostSince"), time(o, "stayStart"),
        time(o, "calibrationDue"), time(o, "calibrationOverdueSince"));
  }

  private static ObjectNode rule(RuleState r) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("phase", r.phase().name());
    time(o, "since", r.since());
    time(o, "raisedAt", r.raisedAt());
    number(o, "peak", r.peak());
    o.put("totalMillis", r.totalMillis());
    o.put("episodes", r.episodes());
    time(o, "lastAt", r.lastAt());
    o.put("beyondAtLast", r.beyondAtLast());
    ArrayNode spans = o.putArray("spans");
    r.spans().forEach(span -> spans.addArray().add(span.from()).add(span.to()));
    ArrayNode points = o.putArray("points");
    r.points().forEach(p -> {
      ArrayNode a = points.addArray().add(p.time());
      if (Double.isFinite(p.celsius())) {
        a.add(p.celsius());
      } else {
        a.add(Double.toString(p.celsius()));
      }
    });
    return o;
  }

  private static RuleState rule(JsonNode o) {
    if (o == null || !o.isObject()) {
      throw new IllegalArgumentException("rule state missing");
    }
    List<RuleState.Span> spans = new ArrayList<>();
    for (JsonNode pair : pairs(o, "spans")) {
      spans.add(new RuleState.Span(integer(pair.get(0), "spans"), integer(pair.get(1), "spans")));
    }
    List<RuleState.Point> points = new ArrayList<>();
    for (JsonNode pair : pairs(o, "points")) {
      points.add(new RuleState.Point(integer(pair.get(0), "points"), number(pair.get(1), "points")));
    }
    return new RuleState(RuleState.Phase.valueOf(o.path("phase").asText()), time(o, "since"), time(o, "raisedAt"),
        number(o.get("peak"), "peak"), integer(o.get("totalMillis"), "totalMillis"),
        (int) integer(o.get("episodes"), "episodes"), time(o, "lastAt"), o.path("beyondAtLast").asBoolean(),
        spans, points);
  }

  private static List<JsonNode> pairs(JsonNode o, String field) {
    JsonNode n = o.get(field);
    if (n == null || !n.isArray()) {
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

  private static void time(ObjectNode o, String field, long t) {
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
    return n.isNull() ? UnitState.NEVER : integer(n, field);
  }

  private static long integer(JsonNode n, String field) {
    if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
      throw new IllegalArgumentException(field + " is not a whole number");
    }
    return n.asLong();
  }

  private static void number(ObjectNode o, String field, double d) {
    if (Double.isFinite(d)) {
      o.put(field, d);
    } else {
      o.put(field, Double.toString(d));
    }
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
