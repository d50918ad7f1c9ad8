package org.sangfroid.core.excursion;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The engine's {@link UnitState} as JSON: the one stored form, kept by the gateway in its
 * database and by the agent for its local alarm across restarts. Written field by field so the
 * stored form does not follow renames in code by accident. JSON has no NaN or infinities:
 * non-finite doubles are the strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"},
 * and {@link UnitState#NEVER} is {@code null}.
 *
 * <p>Writes version 3: the stay's start, the calibration due date and its alarm, and per rule
 * the stretches beyond a limit ({@code spans}, windowed exposure) and recent readings
 * ({@code points}, rate of change), written only when there are any. Reads every form ever
 * stored, since states on disk outlive the code that wrote them:
 * <ul>
 *   <li>gateway version 3, as written now;
 *   <li>gateway version 2: one entry per rule, no stay or calibration (not yet known);
 *   <li>gateway version 1 (the Foundation): the high and low limits only, as {@code high} and
 *       {@code low};
 *   <li>the agent's own version 1 (its codec before this one): version 3's fields with
 *       {@code spans} and {@code points} always present; told from the Foundation's by its
 *       {@code rules}.
 * </ul>
 * A new field of {@link UnitState} or {@link RuleState} needs a new version here, read with a
 * "not yet known" default from every older one.
 */
public final class UnitStateJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int VERSION = 3;

  private UnitStateJson() {}

  /** {@code s} as JSON text, version 3. */
  public static String write(UnitState s) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("v", VERSION);
    putTime(o, "watchSince", s.watchSince());
    putTime(o, "lastSampleAt", s.lastSampleAt());
    putTime(o, "lastValidAt", s.lastValidAt());
    putNumber(o, "lastCelsius", s.lastCelsius());
    ObjectNode rules = o.putObject("rules");
    s.rules().forEach((kind, r) -> rules.set(kind.name(), rule(r)));
    putTime(o, "monitoringLostSince", s.monitoringLostSince());
    putTime(o, "stayStart", s.stayStart());
    putTime(o, "calibrationDue", s.calibrationDue());
    putTime(o, "calibrationOverdueSince", s.calibrationOverdueSince());
    return o.toString();
  }

  /**
   * Reads any form described above.
   *
   * @throws DamagedStateException naming what is wrong, if {@code json} is not such a state
   */
  public static UnitState read(String json) {
    JsonNode o;
    try {
      o = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new DamagedStateException("not JSON: " + e.getOriginalMessage(), e);
    }
    try {
      return state(o);
    } catch (DamagedStateException e) {
      throw e;
    } catch (RuntimeException e) {
      // A value the records refuse (a span ending before it starts): damaged too, for the caller.
      throw new DamagedStateException("a value is refused: " + e.getMessage(), e);
    }
  }

  private static UnitState state(JsonNode o) {
    JsonNode v = o == null ? null : o.get("v");
    if (o == null || !o.isObject() || v == null || !v.isIntegralNumber() || !v.canConvertToInt()
        || v.asInt() < 1 || v.asInt() > VERSION) {
      throw new DamagedStateException("not a version 1 to " + VERSION + " unit state");
    }
    int version = v.asInt();
    boolean foundation = version == 1 && o.has("high");
    Map<AlarmKind, RuleState> rules = new EnumMap<>(AlarmKind.class);
    if (foundation) {
      putIfActive(rules, AlarmKind.HIGH_TEMPERATURE, rule(o.get("high")));
      putIfActive(rules, AlarmKind.LOW_TEMPERATURE, rule(o.get("low")));
    } else {
      JsonNode stored = o.get("rules");
      if (stored == null || !stored.isObject()) {
        throw new DamagedStateException("rules missing");
      }
      for (Map.Entry<String, JsonNode> e : stored.properties()) {
        rules.put(named(AlarmKind.class, e.getKey(), "rules"), rule(e.getValue()));
      }
    }
    // Gateway versions 1 and 2 knew no stay or calibration; the agent's version 1 did.
    boolean stays = version == 3 || (version == 1 && !foundation);
    return new UnitState(time(o, "watchSince"), time(o, "lastSampleAt"), time(o, "lastValidAt"),
        number(o.get("lastCelsius"), "lastCelsius"), rules, time(o, "monitoringLostSince"),
        stays ? time(o, "stayStart") : UnitState.NEVER,
        stays ? time(o, "calibrationDue") : UnitState.NEVER,
        stays ? time(o, "calibrationOverdueSince") : UnitState.NEVER);
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
    putNumber(o, "peak", r.peak());
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
      r.points().forEach(p -> {
        ArrayNode a = points.addArray().add(p.time());
        if (Double.isFinite(p.celsius())) {
          a.add(p.celsius());
        } else {
          a.add(Double.toString(p.celsius()));
        }
      });
    }
    return o;
  }

  /** A rule's state; the fields older versions did not have default to nothing counted yet. */
  private static RuleState rule(JsonNode o) {
    if (o == null || !o.isObject()) {
      throw new DamagedStateException("rule state missing");
    }
    List<RuleState.Span> spans = new ArrayList<>();
    for (JsonNode pair : pairs(o, "spans")) {
      spans.add(new RuleState.Span(time(pair, 0, "spans"), time(pair, 1, "spans")));
    }
    List<RuleState.Point> points = new ArrayList<>();
    for (JsonNode pair : pairs(o, "points")) {
      points.add(new RuleState.Point(time(pair, 0, "points"), number(pair.get(1), "points")));
    }
    long episodes = o.has("episodes") ? whole(o.get("episodes"), "episodes") : 0;
    if (episodes != (int) episodes) {
      throw new DamagedStateException("episodes is too large: " + episodes);
    }
    return new RuleState(named(RuleState.Phase.class, o.path("phase").asText(), "phase"),
        time(o, "since"), time(o, "raisedAt"), number(o.get("peak"), "peak"),
        o.has("totalMillis") ? whole(o.get("totalMillis"), "totalMillis") : 0, (int) episodes,
        o.has("lastAt") ? time(o, "lastAt") : UnitState.NEVER, flag(o, "beyondAtLast"), spans, points);
  }

  private static <E extends Enum<E>> E named(Class<E> type, String name, String field) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(name)) {
        return e;
      }
    }
    throw new DamagedStateException(field + " holds " + name + ", not one of "
        + Arrays.toString(type.getEnumConstants()));
  }

  private static boolean flag(JsonNode o, String field) {
    JsonNode n = o.get(field);
    if (n == null) {
      return false;
    }
    if (!n.isBoolean()) {
      throw new DamagedStateException(field + " is not true or false: " + n);
    }
    return n.booleanValue();
  }

  /** The two-element arrays of {@code field}, none when it is absent. */
  private static List<JsonNode> pairs(JsonNode o, String field) {
    JsonNode n = o.get(field);
    if (n == null) {
      return List.of();
    }
    if (!n.isArray()) {
      throw new DamagedStateException(field + " is not a list");
    }
    List<JsonNode> out = new ArrayList<>(n.size());
    for (JsonNode pair : n) {
      if (!pair.isArray() || pair.size() != 2) {
        throw new DamagedStateException(field + " holds " + pair + ", not a pair");
      }
      out.add(pair);
    }
    return out;
  }

  private static long time(JsonNode pair, int index, String field) {
    JsonNode n = pair.get(index);
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw new DamagedStateException(field + " holds " + pair + ", not times");
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
      throw new DamagedStateException(field + " missing");
    }
    return n.isNull() ? UnitState.NEVER : whole(n, field);
  }

  private static long whole(JsonNode n, String field) {
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw new DamagedStateException(field + " is not a whole number: " + n);
    }
    return n.asLong();
  }

  private static void putNumber(ObjectNode o, String field, double d) {
    if (Double.isFinite(d)) {
      o.put(field, d);
    } else {
      o.put(field, Double.toString(d)); // "NaN", "Infinity", "-Infinity"
    }
  }

  private static double number(JsonNode n, String field) {
    if (n == null) {
      throw new DamagedStateException(field + " missing");
    }
    if (n.isNumber()) {
      return n.asDouble();
    }
    return switch (n.asText()) {
      case "NaN" -> Double.NaN;
      case "Infinity" -> Double.POSITIVE_INFINITY;
      case "-Infinity" -> Double.NEGATIVE_INFINITY;
      default -> throw new DamagedStateException(field + " is not a number: " + n);
    };
  }
}
