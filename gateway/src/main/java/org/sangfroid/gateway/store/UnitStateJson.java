package org.sangfroid.gateway.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sangfroid.core.excursion.LimitState;
import org.sangfroid.core.excursion.UnitState;

/**
 * The excursion engine's {@link UnitState} as JSON, written field by field so the stored form
 * does not follow renames in code by accident. JSON has no NaN or infinities: non-finite doubles
 * are written as the strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"}, and
 * {@link UnitState#NEVER} as {@code null}.
 */
public final class UnitStateJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int VERSION = 1;

  private UnitStateJson() {}

  /** {@code state} as JSON text. */
  public static String write(UnitState s) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("v", VERSION);
    putTime(o, "watchSince", s.watchSince());
    putTime(o, "lastSampleAt", s.lastSampleAt());
    putTime(o, "lastValidAt", s.lastValidAt());
    putDouble(o, "lastCelsius", s.lastCelsius());
    o.set("high", limit(s.high()));
    o.set("low", limit(s.low()));
    putTime(o, "monitoringLostSince", s.monitoringLostSince());
    return o.toString();
  }

  /** Reads what {@link #write} wrote; a damaged value fails with a {@link StoreException}. */
  public static UnitState read(String json) {
    try {
      JsonNode o = MAPPER.readTree(json);
      if (o == null || !o.isObject() || o.path("v").asInt() != VERSION) {
        throw new IllegalArgumentException("not a version " + VERSION + " unit state");
      }
      return new UnitState(
          time(o, "watchSince"),
          time(o, "lastSampleAt"),
          time(o, "lastValidAt"),
          dbl(o, "lastCelsius"),
          limit(o.get("high")),
          limit(o.get("low")),
          time(o, "monitoringLostSince"));
    } catch (JsonProcessingException | RuntimeException e) {
      throw new StoreException("stored unit state cannot be read: " + json, e);
    }
  }

  private static ObjectNode limit(LimitState l) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("phase", l.phase().name());
    putTime(o, "since", l.since());
    putTime(o, "raisedAt", l.raisedAt());
    putDouble(o, "peak", l.peak());
    return o;
  }

  private static LimitState limit(JsonNode o) {
    if (o == null || !o.isObject()) {
      throw new IllegalArgumentException("limit state missing");
    }
    return new LimitState(LimitState.Phase.valueOf(o.path("phase").asText()),
        time(o, "since"), time(o, "raisedAt"), dbl(o, "peak"));
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
