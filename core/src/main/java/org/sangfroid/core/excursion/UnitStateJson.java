package org.sangfroid.core.excursion;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 *
 * <p>Written with jackson-core's streaming generator (the same text databind's tree gave), and
 * version 3 as written here read back with its streaming parser, so that the edge agent, which
 * saves its states as they change and reads them at start, never loads Jackson databind for them
 * (about 400 classes, resident for its whole life). Every other form, and anything damaged, is
 * read through databind's tree: the one reference for older forms and for the messages.
 */
public final class UnitStateJson {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final int VERSION = 3;

  /** Databind, for the other forms: created when one is first read (a holder class loads lazily). */
  private static final class Tree {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  private UnitStateJson() {}

  /** {@code s} as JSON text, version 3. */
  public static String write(UnitState s) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("v", VERSION);
      writeTime(g, "watchSince", s.watchSince());
      writeTime(g, "lastSampleAt", s.lastSampleAt());
      writeTime(g, "lastValidAt", s.lastValidAt());
      writeNumber(g, "lastCelsius", s.lastCelsius());
      g.writeObjectFieldStart("rules");
      for (Map.Entry<AlarmKind, RuleState> e : s.rules().entrySet()) {
        g.writeFieldName(e.getKey().name());
        writeRule(g, e.getValue());
      }
      g.writeEndObject();
      writeTime(g, "monitoringLostSince", s.monitoringLostSince());
      writeTime(g, "stayStart", s.stayStart());
      writeTime(g, "calibrationDue", s.calibrationDue());
      writeTime(g, "calibrationOverdueSince", s.calibrationOverdueSince());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  /**
   * Reads any form described above.
   *
   * @throws DamagedStateException naming what is wrong, if {@code json} is not such a state
   */
  public static UnitState read(String json) {
    Optional<UnitState> plain = Plain.read(json);
    if (plain.isPresent()) {
      return plain.get();
    }
    JsonNode o;
    try {
      o = Tree.MAPPER.readTree(json);
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

  private static void writeRule(JsonGenerator g, RuleState r) throws IOException {
    g.writeStartObject();
    g.writeStringField("phase", r.phase().name());
    writeTime(g, "since", r.since());
    writeTime(g, "raisedAt", r.raisedAt());
    writeNumber(g, "peak", r.peak());
    g.writeNumberField("totalMillis", r.totalMillis());
    g.writeNumberField("episodes", r.episodes());
    writeTime(g, "lastAt", r.lastAt());
    g.writeBooleanField("beyondAtLast", r.beyondAtLast());
    if (!r.spans().isEmpty()) {
      g.writeArrayFieldStart("spans");
      for (RuleState.Span span : r.spans()) {
        g.writeStartArray();
        g.writeNumber(span.from());
        g.writeNumber(span.to());
        g.writeEndArray();
      }
      g.writeEndArray();
    }
    if (!r.points().isEmpty()) {
      g.writeArrayFieldStart("points");
      for (RuleState.Point p : r.points()) {
        g.writeStartArray();
        g.writeNumber(p.time());
        writeNumber(g, p.celsius());
        g.writeEndArray();
      }
      g.writeEndArray();
    }
    g.writeEndObject();
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

  private static void writeTime(JsonGenerator g, String field, long t) throws IOException {
    g.writeFieldName(field);
    if (t == UnitState.NEVER) {
      g.writeNull();
    } else {
      g.writeNumber(t);
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

  private static void writeNumber(JsonGenerator g, String field, double d) throws IOException {
    g.writeFieldName(field);
    writeNumber(g, d);
  }

  private static void writeNumber(JsonGenerator g, double d) throws IOException {
    if (Double.isFinite(d)) {
      g.writeNumber(d);
    } else {
      g.writeString(Double.toString(d)); // "NaN", "Infinity", "-Infinity"
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

  /**
   * Version 3 as {@link #write} gives it, read with the streaming parser: each field once, every
   * field of the object and of each rule present (except those {@code write} leaves out when
   * empty), each value of its own type. Anything else is empty here, and left to the tree reader.
   */
  private static final class Plain {
    private static final String[] STATE = {"v", "watchSince", "lastSampleAt", "lastValidAt", "lastCelsius", "rules",
        "monitoringLostSince", "stayStart", "calibrationDue", "calibrationOverdueSince"};
    private static final String[] RULE = {"phase", "since", "raisedAt", "peak", "totalMillis", "episodes", "lastAt",
        "beyondAtLast", "spans", "points"};

    /** Not the plain form: the tree reader decides. */
    private static final class Other extends Exception {
      Other() {
        super(null, null, false, false);
      }
    }

    static Optional<UnitState> read(String json) {
      try (JsonParser p = FACTORY.createParser(json)) {
        UnitState s = state(p);
        if (p.nextToken() != null) {
          return Optional.empty();
        }
        return Optional.of(s);
      } catch (Other | IOException | RuntimeException e) {
        return Optional.empty(); // a record refusing a value included: the tree reader names it
      }
    }

    private static UnitState state(JsonParser p) throws IOException, Other {
      expect(p.nextToken(), JsonToken.START_OBJECT);
      long[] times = new long[STATE.length];
      double celsius = Double.NaN;
      EnumMap<AlarmKind, RuleState> rules = new EnumMap<>(AlarmKind.class);
      boolean[] seen = new boolean[STATE.length];
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        int i = field(STATE, p.currentName(), seen);
        p.nextToken();
        switch (STATE[i]) {
          case "v" -> {
            if (whole(p) != VERSION) {
              throw new Other();
            }
          }
          case "lastCelsius" -> celsius = number(p);
          case "rules" -> {
            expect(p.currentToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              AlarmKind kind = AlarmKind.valueOf(p.currentName());
              p.nextToken();
              if (rules.put(kind, rule(p)) != null) {
                throw new Other();
              }
            }
          }
          default -> times[i] = time(p);
        }
      }
      for (boolean b : seen) {
        if (!b) {
          throw new Other();
        }
      }
      return new UnitState(times[1], times[2], times[3], celsius, UnitState.own(rules), times[6], times[7], times[8],
          times[9]); // handed over: no second copy of the rules
    }

    private static RuleState rule(JsonParser p) throws IOException, Other {
      expect(p.currentToken(), JsonToken.START_OBJECT);
      boolean[] seen = new boolean[RULE.length];
      RuleState.Phase phase = RuleState.Phase.NORMAL;
      long[] times = new long[RULE.length];
      double peak = Double.NaN;
      boolean beyond = false;
      List<RuleState.Span> spans = new ArrayList<>();
      List<RuleState.Point> points = new ArrayList<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        int i = field(RULE, p.currentName(), seen);
        p.nextToken();
        switch (RULE[i]) {
          case "phase" -> {
            expect(p.currentToken(), JsonToken.VALUE_STRING);
            phase = RuleState.Phase.valueOf(p.getText());
          }
          case "peak" -> peak = number(p);
          case "totalMillis" -> times[i] = whole(p);
          case "episodes" -> {
            expect(p.currentToken(), JsonToken.VALUE_NUMBER_INT);
            if (p.getNumberType() != JsonParser.NumberType.INT) {
              throw new Other();
            }
            times[i] = p.getIntValue();
          }
          case "beyondAtLast" -> {
            if (!p.currentToken().isBoolean()) {
              throw new Other();
            }
            beyond = p.getBooleanValue();
          }
          case "spans", "points" -> {
            expect(p.currentToken(), JsonToken.START_ARRAY);
            while (p.nextToken() == JsonToken.START_ARRAY) {
              p.nextToken();
              long t = whole(p);
              p.nextToken();
              if (RULE[i].equals("spans")) {
                spans.add(new RuleState.Span(t, whole(p)));
              } else {
                points.add(new RuleState.Point(t, number(p)));
              }
              expect(p.nextToken(), JsonToken.END_ARRAY);
            }
            expect(p.currentToken(), JsonToken.END_ARRAY);
          }
          default -> times[i] = time(p);
        }
      }
      for (int i = 0; i < 8; i++) { // spans and points are left out when empty
        if (!seen[i]) {
          throw new Other();
        }
      }
      return new RuleState(phase, times[1], times[2], peak, times[4], (int) times[5], times[6], beyond, spans, points);
    }

    /** The index of {@code name} in {@code fields}, seen for the first time. */
    private static int field(String[] fields, String name, boolean[] seen) throws Other {
      for (int i = 0; i < fields.length; i++) {
        if (fields[i].equals(name)) {
          if (seen[i]) {
            throw new Other();
          }
          seen[i] = true;
          return i;
        }
      }
      throw new Other();
    }

    private static void expect(JsonToken token, JsonToken wanted) throws Other {
      if (token != wanted) {
        throw new Other();
      }
    }

    private static long whole(JsonParser p) throws IOException, Other {
      expect(p.currentToken(), JsonToken.VALUE_NUMBER_INT);
      if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        throw new Other();
      }
      return p.getLongValue();
    }

    private static long time(JsonParser p) throws IOException, Other {
      return p.currentToken() == JsonToken.VALUE_NULL ? UnitState.NEVER : whole(p);
    }

    private static double number(JsonParser p) throws IOException, Other {
      return switch (p.currentToken()) {
        case VALUE_NUMBER_INT -> (double) whole(p);
        case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
        case VALUE_STRING -> switch (p.getText()) {
          case "NaN" -> Double.NaN;
          case "Infinity" -> Double.POSITIVE_INFINITY;
          case "-Infinity" -> Double.NEGATIVE_INFINITY;
          default -> throw new Other();
        };
        default -> throw new Other();
      };
    }
  }
}
