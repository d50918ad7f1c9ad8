package org.sangfroid.agent.sensor.coap;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.wire.Quality;

/**
 * Reads the temperature out of a SenML JSON pack (RFC 8428, CoAP content-format 110
 * {@code application/senml+json}), as a node serves the IPSO temperature object 3303: either the
 * sensor value resource alone ({@code /3303/0/5700}) or the whole object instance
 * ({@code /3303/0}, where the value is the record named {@code …/5700}).
 *
 * <p>Rules, from RFC 8428:
 *
 * <ul>
 *   <li>the payload is a JSON array of records; base fields ({@code bn}, {@code bt}, {@code bu},
 *       {@code bv}) apply to their record and every later one until overridden; a record's name
 *       is {@code bn + n}, its time {@code bt + t}, its value {@code bv + v}, its unit {@code u}
 *       or else {@code bu};
 *   <li>a time below 2<sup>28</sup> s is relative to the moment the pack arrived (0 = now,
 *       negative = seconds ago); from 2<sup>28</sup> on it is seconds since 1970 by the node's
 *       clock;
 *   <li>a field whose name ends with {@code _} must be understood: we understand none, so such a
 *       pack is rejected.
 * </ul>
 *
 * <p>Which record is the temperature: the records named {@code 5700} or {@code …/5700} (IPSO
 * "Sensor Value"); if no record has that name, the numeric records when they all share one name
 * (a single-value pack, or a series of one sensor). Of those, the latest by time; on equal times
 * the last in the pack. Its unit, and the string value of a {@code …/5701} record (IPSO "Sensor
 * Units") if the pack has one, must be {@code Cel} (degrees Celsius, SenML's unit name); a pack
 * without any unit is taken as Celsius, as IPSO 3303 nodes often send no unit.
 *
 * <p>Wire input never throws here: anything else comes back as {@link Rejected} with the field
 * and value at fault, {@link Quality#CRC_ERROR} for a pack that cannot be trusted (the same
 * quality as a DS18B20 answer that fails its format), {@link Quality#OUT_OF_RANGE} for a value
 * outside {@link #MIN_CELSIUS}..{@link #MAX_CELSIUS}.
 */
public final class Senml {
  /** CoAP content-format of SenML JSON. */
  public static final int CONTENT_FORMAT = 110;
  /** SenML's unit name for degrees Celsius. */
  public static final String CELSIUS = "Cel";
  /**
   * The plausible range of any temperature probe a node may carry: from −200 °C, the low end of
   * IEC 60751 platinum probes, to +125 °C, the high end of the DS18B20 and SHT4x. A value outside
   * cannot be a measurement.
   */
  public static final double MIN_CELSIUS = -200.0;
  public static final double MAX_CELSIUS = 125.0;
  /** Times below this many seconds are relative to now (RFC 8428 section 4.5.3). */
  static final double RELATIVE_TIME_LIMIT = 268_435_456.0;

  private static final String VALUE_RESOURCE = "5700";
  private static final String UNITS_RESOURCE = "5701";
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private Senml() {}

  /** What a pack said. */
  public sealed interface Result permits Value, Rejected {}

  /**
   * A temperature.
   *
   * @param celsius finite, within {@link #MIN_CELSIUS}..{@link #MAX_CELSIUS}
   * @param measuredAt when the node measured it, if the pack says; relative times are resolved
   *     against the arrival of the pack, absolute ones are the node's clock
   */
  public record Value(double celsius, Optional<Instant> measuredAt) implements Result {
    public Value {
      Checks.requireFinite("celsius", celsius);
      Checks.requireNonNull("measuredAt", measuredAt);
    }
  }

  /**
   * A pack that yields no temperature.
   *
   * @param quality {@link Quality#CRC_ERROR} or {@link Quality#OUT_OF_RANGE}
   * @param problem what is wrong, naming the field and its value
   */
  public record Rejected(Quality quality, String problem) implements Result {
    public Rejected {
      Checks.require(quality == Quality.CRC_ERROR || quality == Quality.OUT_OF_RANGE, "quality", quality,
          "be crc_error or out_of_range");
      Checks.requireNonNull("problem", problem);
    }
  }

  /** A unit and where it was written ({@code records[0].bu}). */
  private record Unit(String value, String field) {}

  /** One record with its base fields resolved. */
  private record Resolved(int index, String name, Optional<Double> value, Optional<Unit> unit,
      Optional<String> stringValue, double time) {}

  /**
   * Reads {@code payload}.
   *
   * @param receivedAt when the pack arrived, by the agent's clock: relative times count from it
   */
  public static Result parse(byte[] payload, Instant receivedAt) {
    JsonNode root;
    try {
      root = JSON.readTree(payload);
    } catch (JsonProcessingException e) {
      return bad(Checks.message("payload", excerpt(payload), "be SenML JSON", firstLine(e.getOriginalMessage())));
    } catch (IOException e) {
      return bad(Checks.message("payload", excerpt(payload), "be SenML JSON", firstLine(e.getMessage())));
    }
    if (root == null || !root.isArray() || root.isEmpty()) {
      return bad(Checks.message("payload", excerpt(payload), "be a SenML pack: a JSON array of records"));
    }
    List<Resolved> records = new ArrayList<>();
    String baseName = "";
    double baseTime = 0;
    Optional<Unit> baseUnit = Optional.empty();
    double baseValue = 0;
    for (int i = 0; i < root.size(); i++) {
      JsonNode r = root.get(i);
      String at = "records[" + i + "]";
      if (!r.isObject()) {
        return bad(Checks.message(at, r, "be a JSON object"));
      }
      for (Iterator<String> names = r.fieldNames(); names.hasNext(); ) {
        String field = names.next();
        if (field.endsWith("_")) {
          return bad(Checks.message(at + "." + field, r.get(field), "not be there",
              "a must-understand field this agent does not know"));
        }
      }
      try {
        baseName = text(r, "bn", at).orElse(baseName);
        baseTime = number(r, "bt", at).orElse(baseTime);
        Optional<String> bu = text(r, "bu", at);
        if (bu.isPresent()) {
          baseUnit = Optional.of(new Unit(bu.get(), at + ".bu"));
        }
        baseValue = number(r, "bv", at).orElse(baseValue);
        String name = baseName + text(r, "n", at).orElse("");
        Optional<Double> v = number(r, "v", at);
        Optional<Double> value = v.isPresent() ? Optional.of(baseValue + v.get()) : Optional.empty();
        Optional<String> u = text(r, "u", at);
        Optional<Unit> unit = u.isPresent() ? Optional.of(new Unit(u.get(), at + ".u")) : baseUnit;
        records.add(new Resolved(i, name, value, unit, text(r, "vs", at),
            baseTime + number(r, "t", at).orElse(0.0)));
      } catch (FieldException e) {
        return bad(e.getMessage());
      }
    }
    return pick(records, receivedAt);
  }

  private static Result pick(List<Resolved> records, Instant receivedAt) {
    for (Resolved r : records) {
      if (isResource(r.name(), UNITS_RESOURCE) && r.stringValue().isPresent()
          && !r.stringValue().get().equals(CELSIUS)) {
        return bad(Checks.message("records[" + r.index() + "].vs", r.stringValue().get(),
            "be " + CELSIUS + " (degrees Celsius) for the sensor units " + UNITS_RESOURCE));
      }
    }
    List<Resolved> numeric = records.stream().filter(r -> r.value().isPresent()).toList();
    if (numeric.isEmpty()) {
      return bad(Checks.message("payload", records.size() + " record(s)", "hold a numeric value (v)"));
    }
    List<Resolved> candidates = numeric.stream().filter(r -> isResource(r.name(), VALUE_RESOURCE)).toList();
    if (candidates.isEmpty()) {
      if (numeric.stream().map(Resolved::name).distinct().count() > 1) {
        return bad(Checks.message("payload", String.join(", ", numeric.stream().map(Resolved::name).toList()),
            "name its temperature " + VALUE_RESOURCE + " or …/" + VALUE_RESOURCE
                + " when it holds values of several names"));
      }
      candidates = numeric;
    }
    Resolved latest = candidates.get(0);
    for (Resolved r : candidates) {
      if (instant(r.time(), receivedAt).compareTo(instant(latest.time(), receivedAt)) >= 0) {
        latest = r;
      }
    }
    String at = "records[" + latest.index() + "]";
    Optional<Unit> unit = latest.unit();
    if (unit.isPresent() && !unit.get().value().equals(CELSIUS)) {
      return bad(Checks.message(unit.get().field(), unit.get().value(), "be " + CELSIUS + " (degrees Celsius)"));
    }
    double celsius = latest.value().orElseThrow();
    if (!Double.isFinite(celsius)) {
      return bad(Checks.message(at + ".v", celsius, "be a finite number"));
    }
    if (celsius < MIN_CELSIUS || celsius > MAX_CELSIUS) {
      return new Rejected(Quality.OUT_OF_RANGE, Checks.message(at + ".v", format(celsius),
          String.format(Locale.ROOT, "be from %.0f to %.0f °C (what a temperature probe can measure)",
              MIN_CELSIUS, MAX_CELSIUS)));
    }
    boolean timed = latest.time() != 0;
    return new Value(celsius, timed ? Optional.of(instant(latest.time(), receivedAt)) : Optional.empty());
  }

  /** True for {@code resource} itself or a name ending in {@code /resource}. */
  private static boolean isResource(String name, String resource) {
    return name.equals(resource) || name.endsWith("/" + resource);
  }

  /** A SenML time in seconds: relative to {@code now} below 2^28, otherwise since 1970. */
  static Instant instant(double seconds, Instant now) {
    long millis = Math.round(seconds * 1000.0);
    return seconds < RELATIVE_TIME_LIMIT ? now.plusMillis(millis) : Instant.ofEpochMilli(millis);
  }

  private static Optional<String> text(JsonNode r, String field, String at) throws FieldException {
    JsonNode n = r.get(field);
    if (n == null) {
      return Optional.empty();
    }
    if (!n.isTextual()) {
      throw new FieldException(Checks.message(at + "." + field, n, "be a string"));
    }
    return Optional.of(n.textValue());
  }

  private static Optional<Double> number(JsonNode r, String field, String at) throws FieldException {
    JsonNode n = r.get(field);
    if (n == null) {
      return Optional.empty();
    }
    if (!n.isNumber()) {
      throw new FieldException(Checks.message(at + "." + field, n, "be a number"));
    }
    double d = n.doubleValue();
    if (!Double.isFinite(d)) {
      throw new FieldException(Checks.message(at + "." + field, n.asText(), "be a finite number"));
    }
    return Optional.of(d);
  }

  /** A field of the wrong type: ends the parse with its message. */
  private static final class FieldException extends Exception {
    FieldException(String message) {
      super(message, null, false, false);
    }
  }

  private static Rejected bad(String problem) {
    return new Rejected(Quality.CRC_ERROR, problem);
  }

  private static String format(double celsius) {
    return String.format(Locale.ROOT, "%s", celsius);
  }

  private static String firstLine(String text) {
    return text == null ? "unreadable JSON" : text.lines().findFirst().orElse("").strip();
  }

  /** The start of a payload for messages: printable, at most 60 characters. */
  static String excerpt(byte[] payload) {
    String text = new String(payload, StandardCharsets.UTF_8).strip();
    StringBuilder out = new StringBuilder();
    text.codePoints().limit(60).forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return text.codePointCount(0, text.length()) > 60 ? out + "…" : out.toString();
  }
}
