package org.sangfroid.core.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.sangfroid.core.check.Checks;

/**
 * Encodes and decodes protocol-1 payloads. Decoding never throws: anything off-contract comes
 * back as {@link Decoded.Invalid} whose reason names the field and its value. Thread-safe.
 *
 * <p>The checks here are the JSON Schemas in this package's resources, written out by hand for
 * speed and for precise messages; a test keeps the two in step.
 *
 * <p>What the edge agent runs (every encoder, and decoding a well-formed ack) uses jackson-core's
 * streaming generator and parser only, and so does decoding a valid reading batch (the gateway's
 * hot path); the other decoders, and a batch the streaming reader leaves, read a tree through
 * Jackson databind, which is loaded only when one of them first runs. Databind would keep about 400
 * classes resident in the agent for its whole life (docs/performance.md).
 */
public final class WireCodec {
  /** The protocol version this code speaks. */
  public static final int VERSION = 1;

  /** jackson-core alone: the same output as databind's factory, without loading databind. */
  private static final JsonFactory FACTORY = new JsonFactory();

  /**
   * The streaming reader of batches. Its fast double parser (FastDoubleParser, inside jackson-core)
   * reads a number from the parser's buffer; the JDK's parser, which the tree uses, needs a String
   * of it first (about 110 bytes per value). Both round correctly, so they give the same double
   * (WireDecodeDifferentialTest compares them).
   */
  private static final JsonFactory BATCH_FACTORY =
      JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

  /** Databind, for the tree decoders: created when one first runs (a holder class loads lazily). */
  private static final class Tree {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  private WireCodec() {}

  /** An invalid field, carried out of the decoders as an exception and turned into a value. */
  private static final class Bad extends Exception {
    final String code;

    Bad(String code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  // ---- encoding ----

  // A reading's field names and qualities, quoted and encoded once: a batch writes each up to
  // 2000 times. The bytes are the same as with plain strings (WireCodecTest holds them).
  private static final SerializedString SEQ = new SerializedString("seq");
  private static final SerializedString TIME = new SerializedString("t");
  private static final SerializedString UNIT = new SerializedString("unit");
  private static final SerializedString SENSOR = new SerializedString("sensor");
  private static final SerializedString VALUE = new SerializedString("value");
  private static final SerializedString RAW = new SerializedString("raw");
  private static final SerializedString QUALITY = new SerializedString("quality");
  private static final SerializedString SYNCED = new SerializedString("synced");
  private static final SerializedString TIME_CORRECTED = new SerializedString("timeCorrected");
  private static final SerializedString[] QUALITIES = Arrays.stream(Quality.values())
      .map(q -> new SerializedString(q.wire())).toArray(SerializedString[]::new);
  /** The bytes of one reading in a batch besides its ids, a little more rather than less. */
  private static final int READING_SIZE = 100;

  private interface Writer {
    void write(JsonGenerator g) throws IOException;
  }

  private static byte[] write(Writer body) {
    return write(body, 256);
  }

  /** {@code size}: the expected length, so a large batch is not copied as its buffer grows. */
  private static byte[] write(Writer body, int size) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(size);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("v", VERSION);
      body.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A reading batch as JSON. */
  public static byte[] encode(ReadingBatch batch) {
    return write(g -> {
      g.writeStringField("site", batch.site());
      g.writeStringField("agent", batch.agent());
      if (batch.oldest() > 0) {
        g.writeNumberField("oldest", batch.oldest());
      }
      if (!batch.gaps().isEmpty()) {
        g.writeArrayFieldStart("gaps");
        for (ReadingBatch.Gap gap : batch.gaps()) {
          g.writeStartObject();
          g.writeNumberField("from", gap.from());
          g.writeNumberField("to", gap.to());
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      g.writeArrayFieldStart("readings");
      for (Reading r : batch.readings()) {
        g.writeStartObject();
        g.writeFieldName(SEQ);
        g.writeNumber(r.seq());
        g.writeFieldName(TIME);
        g.writeNumber(r.time());
        g.writeFieldName(UNIT);
        g.writeString(r.unit());
        g.writeFieldName(SENSOR);
        g.writeString(r.sensor());
        if (r.valid()) {
          g.writeFieldName(VALUE);
          g.writeNumber(r.celsius());
        }
        if (r.raw().isPresent()) {
          g.writeFieldName(RAW);
          g.writeNumber(r.raw().getAsDouble());
        }
        g.writeFieldName(QUALITY);
        g.writeString(QUALITIES[r.quality().ordinal()]);
        if (!r.clockSynced()) {
          g.writeFieldName(SYNCED);
          g.writeBoolean(false);
        }
        if (r.timeCorrected()) {
          g.writeFieldName(TIME_CORRECTED);
          g.writeBoolean(true);
        }
        g.writeEndObject();
      }
      g.writeEndArray();
    }, size(batch));
  }

  /** About the bytes of {@code batch} as JSON, a little more rather than less. */
  private static int size(ReadingBatch batch) {
    int size = 96 + 24 * batch.gaps().size();
    for (Reading r : batch.readings()) {
      size += READING_SIZE + r.unit().length() + r.sensor().length();
    }
    return size;
  }

  /** An ack as JSON ({@code events} only once an event was stored). */
  public static byte[] encode(Ack ack) {
    return write(g -> {
      g.writeNumberField("upTo", ack.upTo());
      g.writeNumberField("t", ack.time());
      if (ack.eventsUpTo() > 0) {
        g.writeNumberField("events", ack.eventsUpTo());
      }
    });
  }

  /** An event batch as JSON. */
  public static byte[] encode(EventBatch batch) {
    return write(g -> {
      g.writeStringField("site", batch.site());
      g.writeStringField("agent", batch.agent());
      g.writeArrayFieldStart("events");
      for (AgentEvent e : batch.events()) {
        g.writeStartObject();
        g.writeNumberField("seq", e.seq());
        g.writeNumberField("t", e.time());
        g.writeStringField("unit", e.unit());
        g.writeStringField("type", e.type().wire());
        g.writeBooleanField("active", e.active());
        if (!e.detail().isEmpty()) {
          g.writeStringField("detail", e.detail());
        }
        if (!e.clockSynced()) {
          g.writeBooleanField("synced", false);
        }
        g.writeEndObject();
      }
      g.writeEndArray();
    });
  }

  /** An agent status as JSON. */
  public static byte[] encode(AgentStatus s) {
    return write(g -> {
      g.writeStringField("state", s.online() ? "online" : "offline");
      if (s.online()) {
        g.writeStringField("version", s.version());
        g.writeNumberField("startedAt", s.startedAt());
        g.writeNumberField("outboxDepth", s.outboxDepth());
        if (s.oldestUnsent().isPresent()) {
          g.writeNumberField("oldestUnsent", s.oldestUnsent().getAsLong());
        }
        if (s.dropped().isPresent()) {
          g.writeNumberField("dropped", s.dropped().getAsLong());
        }
        if (!s.probes().isEmpty()) {
          g.writeArrayFieldStart("probes");
          for (AgentStatus.Probe p : s.probes()) {
            writeProbe(g, p);
          }
          g.writeEndArray();
        }
      }
    });
  }

  private static void writeProbe(JsonGenerator g, AgentStatus.Probe p) throws IOException {
    g.writeStartObject();
    g.writeStringField("unit", p.unit());
    g.writeStringField("sensor", p.sensor());
    if (p.quality().isPresent()) {
      g.writeStringField("quality", p.quality().get().wire());
    }
    if (p.calibrationDue().isPresent()) {
      g.writeNumberField("calibrationDue", p.calibrationDue().getAsLong());
    }
    if (p.certificate().isPresent()) {
      g.writeStringField("certificate", p.certificate().get());
    }
    if (p.calibrationOverdue()) {
      g.writeBooleanField("calibrationOverdue", true);
    }
    g.writeEndObject();
  }

  // ---- decoding ----

  /**
   * Decodes a reading batch. A valid batch is read by {@link #plainBatch} with the streaming parser
   * straight into readings: the gateway decodes every batch on its MQTT thread, and the tree cost
   * about 1 KB per reading, the streaming reader 80 bytes (issue 6; DecodeBatchCost measures both).
   * Anything that reader does not take goes to {@link #treeBatch}, so every answer and every message
   * stays the tree decoder's.
   */
  public static Decoded<ReadingBatch> decodeBatch(byte[] payload) {
    Optional<ReadingBatch> plain = plainBatch(payload);
    return plain.isPresent() ? new Decoded.Valid<>(plain.get()) : treeBatch(payload);
  }

  /**
   * A valid batch read with the streaming parser alone. It takes only what it can read without
   * doubt: the root and each reading and gap an object, each known field given once with the one
   * type the contract gives it (an integer within a long, a string, a boolean; {@code null} where
   * the tree decoder reads it as absent), every check passed; unknown fields are skipped. Anything
   * else, valid or not, is empty here and left to {@link #treeBatch}: it then gives the answer and
   * its message. WireDecodeDifferentialTest holds the two to the same results.
   */
  static Optional<ReadingBatch> plainBatch(byte[] payload) {
    if (payload.length >= BATCH_FACTORY.streamReadConstraints().getMaxStringLength()) {
      // Skipping an unknown field does not count its length; building the tree does, and rejects it.
      return Optional.empty();
    }
    try (JsonParser p = BATCH_FACTORY.createParser(payload)) {
      return Optional.of(plainBatch(p, payload.length));
    } catch (NotPlain | IOException e) {
      return Optional.empty();
    }
  }

  /** The streaming reader's way out to the tree decoder: not an error, so one instance, no stack. */
  private static final class NotPlain extends Exception {
    static final NotPlain LEAVE = new NotPlain();

    private NotPlain() {
      super(null, null, false, false);
    }
  }

  // Bits of the fields seen in one object: to know the required ones are there, and to leave a
  // field given twice to the tree decoder (it keeps the last one; the bits keep that its concern).
  private static final int F_V = 1;
  private static final int F_SITE = 2;
  private static final int F_AGENT = 4;
  private static final int F_OLDEST = 8;
  private static final int F_GAPS = 16;
  private static final int F_READINGS = 32;
  private static final int F_SEQ = 1;
  private static final int F_TIME = 2;
  private static final int F_UNIT = 4;
  private static final int F_SENSOR = 8;
  private static final int F_QUALITY = 16;
  private static final int F_VALUE = 32;
  private static final int F_RAW = 64;
  private static final int F_SYNCED = 128;
  private static final int F_TIME_CORRECTED = 256;
  private static final int F_FROM = 1;
  private static final int F_TO = 2;
  private static final int READING_REQUIRED = F_SEQ | F_TIME | F_UNIT | F_SENSOR | F_QUALITY;
  /** Fewer bytes than any reading takes ({"seq":1,"t":0,"unit":"u","sensor":"s","quality":"crc_error"}). */
  private static final int MIN_READING_SIZE = 60;

  private static ReadingBatch plainBatch(JsonParser p, int size) throws IOException, NotPlain {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw NotPlain.LEAVE;
    }
    String site = null;
    String agent = null;
    long oldest = 0;
    List<ReadingBatch.Gap> gaps = List.of();
    List<Reading> readings = List.of();
    int seen = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      int field = switch (name) {
        case "v" -> {
          if (whole(p, value, 0) != VERSION) {
            throw NotPlain.LEAVE;
          }
          yield F_V;
        }
        case "site" -> {
          site = id(p, value);
          yield F_SITE;
        }
        case "agent" -> {
          agent = id(p, value);
          yield F_AGENT;
        }
        case "oldest" -> {
          oldest = whole(p, value, 1);
          yield F_OLDEST;
        }
        case "gaps" -> {
          gaps = plainGaps(p, value);
          yield F_GAPS;
        }
        case "readings" -> {
          readings = plainReadings(p, value, size);
          yield F_READINGS;
        }
        default -> {
          skip(p, value);
          yield 0;
        }
      };
      if ((seen & field) != 0) {
        throw NotPlain.LEAVE;
      }
      seen |= field;
    }
    // What the tree decoder checks across fields, once all are read (it reads nothing after the root).
    if ((seen & (F_V | F_SITE | F_AGENT | F_READINGS)) != (F_V | F_SITE | F_AGENT | F_READINGS)
        || oldest > readings.get(0).seq() || ReadingBatch.checkGaps(gaps, readings).isPresent()) {
      throw NotPlain.LEAVE;
    }
    return new ReadingBatch(site, agent, oldest, gaps, readings);
  }

  /** 1 to 2000 readings in increasing seq order; {@code size}: the payload's, to size the list. */
  private static List<Reading> plainReadings(JsonParser p, JsonToken value, int size)
      throws IOException, NotPlain {
    if (value != JsonToken.START_ARRAY) {
      throw NotPlain.LEAVE;
    }
    // Room for as many readings as the payload can hold: the list never grows.
    List<Reading> readings = new ArrayList<>(Math.min(ReadingBatch.MAX_READINGS, size / MIN_READING_SIZE + 1));
    Ids ids = new Ids();
    long previous = 0;
    JsonToken item;
    while ((item = p.nextToken()) != JsonToken.END_ARRAY) {
      if (item != JsonToken.START_OBJECT || readings.size() == ReadingBatch.MAX_READINGS) {
        throw NotPlain.LEAVE;
      }
      Reading r = plainReading(p, ids);
      if (r.seq() <= previous) {
        throw NotPlain.LEAVE;
      }
      previous = r.seq();
      readings.add(r);
    }
    if (readings.isEmpty()) {
      throw NotPlain.LEAVE;
    }
    return readings;
  }

  /** One reading, the parser on its START_OBJECT; as {@link #reading} reads it from a tree. */
  private static Reading plainReading(JsonParser p, Ids ids) throws IOException, NotPlain {
    long seq = 0;
    long time = 0;
    String unit = null;
    String sensor = null;
    Quality quality = null;
    double value = Double.NaN; // absent or null: not finite, as the tree decoder's check has it
    OptionalDouble raw = OptionalDouble.empty();
    boolean synced = true;
    boolean timeCorrected = false;
    int seen = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken token = p.nextToken();
      int field = switch (name) {
        case "seq" -> {
          seq = whole(p, token, 1);
          yield F_SEQ;
        }
        case "t" -> {
          time = whole(p, token, 0);
          yield F_TIME;
        }
        case "unit" -> {
          unit = ids.read(p, token);
          yield F_UNIT;
        }
        case "sensor" -> {
          sensor = ids.read(p, token);
          yield F_SENSOR;
        }
        case "quality" -> {
          quality = quality(p, token);
          yield F_QUALITY;
        }
        case "value" -> {
          // Checked once the quality is known: any number or null passes for a fault.
          if (token != JsonToken.VALUE_NULL) {
            value = number(p, token);
          }
          yield F_VALUE;
        }
        case "raw" -> {
          if (token != JsonToken.VALUE_NULL) {
            double r = number(p, token);
            if (!Double.isFinite(r)) {
              throw NotPlain.LEAVE;
            }
            raw = OptionalDouble.of(r); // the reading keeps it only when its quality is ok
          }
          yield F_RAW;
        }
        case "synced" -> {
          synced = bool(token);
          yield F_SYNCED;
        }
        case "timeCorrected" -> {
          timeCorrected = bool(token);
          yield F_TIME_CORRECTED;
        }
        default -> {
          skip(p, token);
          yield 0;
        }
      };
      if ((seen & field) != 0) {
        throw NotPlain.LEAVE;
      }
      seen |= field;
    }
    if ((seen & READING_REQUIRED) != READING_REQUIRED || (quality == Quality.OK && !Double.isFinite(value))) {
      throw NotPlain.LEAVE;
    }
    return new Reading(seq, time, unit, sensor, value, quality, synced, raw, timeCorrected);
  }

  /** At most 2000 {from, to} ranges, or null for none; checked against the readings later. */
  private static List<ReadingBatch.Gap> plainGaps(JsonParser p, JsonToken value) throws IOException, NotPlain {
    if (value == JsonToken.VALUE_NULL) {
      return List.of();
    }
    if (value != JsonToken.START_ARRAY) {
      throw NotPlain.LEAVE;
    }
    List<ReadingBatch.Gap> gaps = new ArrayList<>();
    JsonToken item;
    while ((item = p.nextToken()) != JsonToken.END_ARRAY) {
      if (item != JsonToken.START_OBJECT || gaps.size() == ReadingBatch.MAX_READINGS) {
        throw NotPlain.LEAVE;
      }
      long from = 0;
      long to = 0;
      int seen = 0;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken token = p.nextToken();
        int field = switch (name) {
          case "from" -> {
            from = whole(p, token, 1);
            yield F_FROM;
          }
          case "to" -> {
            to = whole(p, token, 1);
            yield F_TO;
          }
          default -> {
            skip(p, token);
            yield 0;
          }
        };
        if ((seen & field) != 0) {
          throw NotPlain.LEAVE;
        }
        seen |= field;
      }
      if (seen != (F_FROM | F_TO) || to < from) {
        throw NotPlain.LEAVE;
      }
      gaps.add(new ReadingBatch.Gap(from, to));
    }
    return gaps;
  }

  /**
   * Passes over an unknown field's value, {@code token} its first, as the tree decoder reads it:
   * each string decoded, which checks all its UTF-8 (the parser's skipChildren does not).
   */
  private static void skip(JsonParser p, JsonToken token) throws IOException, NotPlain {
    int depth = 0;
    for (JsonToken t = token; ; t = p.nextToken()) {
      if (t == null) {
        throw NotPlain.LEAVE;
      } else if (t == JsonToken.VALUE_STRING) {
        p.getTextLength();
      } else if (t.isStructStart()) {
        depth++;
      } else if (t.isStructEnd()) {
        depth--;
      }
      if (depth == 0) {
        return;
      }
    }
  }

  /** A whole number within a long and at least {@code min} (1.0, "1" and 2^63 go to the tree). */
  private static long whole(JsonParser p, JsonToken token, long min) throws IOException, NotPlain {
    if (token != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw NotPlain.LEAVE;
    }
    long n = p.getLongValue();
    if (n < min) {
      throw NotPlain.LEAVE;
    }
    return n;
  }

  /** A number as the tree reads it (asDouble), finite or not; an integer beyond a long goes to the tree. */
  private static double number(JsonParser p, JsonToken token) throws IOException, NotPlain {
    if (token == JsonToken.VALUE_NUMBER_FLOAT
        || (token == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER)) {
      return p.getDoubleValue();
    }
    throw NotPlain.LEAVE;
  }

  private static String id(JsonParser p, JsonToken token) throws IOException, NotPlain {
    if (token != JsonToken.VALUE_STRING) {
      throw NotPlain.LEAVE;
    }
    String s = p.getText();
    if (!Checks.isId(s)) {
      throw NotPlain.LEAVE;
    }
    return s;
  }

  /**
   * The unit and probe ids of one batch, each made a String once: a batch names the same few units
   * and probes in every reading (two new Strings per reading, about 110 bytes, otherwise). A small
   * open-addressing table by the hash of the characters; when the few slots an id may take are all
   * held by others (a batch naming dozens of ids), it takes the first one's place.
   */
  private static final class Ids {
    private static final int BITS = 6;
    private static final int PROBES = 4;
    private final String[] slots = new String[1 << BITS];

    String read(JsonParser p, JsonToken token) throws IOException, NotPlain {
      if (token != JsonToken.VALUE_STRING) {
        throw NotPlain.LEAVE;
      }
      char[] text = p.getTextCharacters();
      int offset = p.getTextOffset();
      int length = p.getTextLength();
      int hash = length;
      for (int i = 0; i < length; i++) {
        hash = 31 * hash + text[offset + i];
      }
      int home = (hash * 0x9E3779B9) >>> (32 - BITS); // Fibonacci hashing: similar ids spread out
      int free = home;
      for (int i = 0; i < PROBES; i++) {
        int slot = (home + i) & (slots.length - 1);
        String known = slots[slot];
        if (known == null) {
          free = slot;
          break;
        }
        if (same(known, text, offset, length)) {
          return known;
        }
      }
      String id = new String(text, offset, length);
      if (!Checks.isId(id)) {
        throw NotPlain.LEAVE;
      }
      slots[free] = id;
      return id;
    }
  }

  private static boolean bool(JsonToken token) throws NotPlain {
    if (token == JsonToken.VALUE_TRUE) {
      return true;
    }
    if (token == JsonToken.VALUE_FALSE) {
      return false;
    }
    throw NotPlain.LEAVE;
  }

  private static final Quality[] QUALITY_VALUES = Quality.values();

  /** The quality named by the current string, compared in the parser's buffer: no string for each reading. */
  private static Quality quality(JsonParser p, JsonToken token) throws IOException, NotPlain {
    if (token != JsonToken.VALUE_STRING) {
      throw NotPlain.LEAVE;
    }
    char[] text = p.getTextCharacters();
    int offset = p.getTextOffset();
    int length = p.getTextLength();
    for (Quality q : QUALITY_VALUES) {
      if (same(q.wire(), text, offset, length)) {
        return q;
      }
    }
    throw NotPlain.LEAVE;
  }

  private static boolean same(String s, char[] text, int offset, int length) {
    if (s.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (s.charAt(i) != text[offset + i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The reference reading of a batch, through a tree: every check in its order, each message. It
   * runs for a payload the streaming reader did not take (almost always an invalid one).
   */
  static Decoded<ReadingBatch> treeBatch(byte[] payload) {
    try {
      JsonNode root = root(payload);
      String site = id(root, "site");
      String agent = id(root, "agent");
      long oldest = root.has("oldest") ? integer(root, "oldest", 1) : 0;
      JsonNode items = root.get("readings");
      if (items == null || !items.isArray()) {
        throw new Bad("schema", "readings " + shown(items) + " must be a list of readings.");
      }
      if (items.isEmpty() || items.size() > ReadingBatch.MAX_READINGS) {
        throw new Bad("schema", Checks.message("readings", items.size() + " items",
            "hold 1 to " + ReadingBatch.MAX_READINGS + " readings"));
      }
      List<Reading> readings = new ArrayList<>(items.size());
      long previous = 0;
      for (int i = 0; i < items.size(); i++) {
        Reading r = reading(items.get(i), "readings[" + i + "].");
        if (r.seq() <= previous) {
          throw new Bad("schema", Checks.message("readings[" + i + "].seq", r.seq(),
              "be greater than the one before (" + previous + ")"));
        }
        previous = r.seq();
        readings.add(r);
      }
      if (oldest > readings.get(0).seq()) {
        throw new Bad("schema", Checks.message("oldest", oldest,
            "be at most the first reading's seq (" + readings.get(0).seq() + ")"));
      }
      List<ReadingBatch.Gap> gaps = gaps(root.get("gaps"));
      Optional<String> badGaps = ReadingBatch.checkGaps(gaps, readings);
      if (badGaps.isPresent()) {
        throw new Bad("schema", badGaps.get());
      }
      return new Decoded.Valid<>(new ReadingBatch(site, agent, oldest, gaps, readings));
    } catch (Bad b) {
      return new Decoded.Invalid<>(b.code, b.getMessage());
    }
  }

  private static List<ReadingBatch.Gap> gaps(JsonNode items) throws Bad {
    if (items == null || items.isNull()) {
      return List.of();
    }
    if (!items.isArray() || items.size() > ReadingBatch.MAX_READINGS) {
      throw new Bad("schema", Checks.message("gaps", items.isArray() ? items.size() + " items" : items.toString(),
          "be a list of at most " + ReadingBatch.MAX_READINGS + " {from, to} ranges"));
    }
    List<ReadingBatch.Gap> gaps = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      String at = "gaps[" + i + "].";
      if (!item.isObject()) {
        throw new Bad("schema", "gaps[" + i + "] must be a JSON object.");
      }
      long from = integer(item, at, "from", 1);
      long to = integer(item, at, "to", 1);
      if (to < from) {
        throw new Bad("schema", Checks.message(at + "to", to, "be at least " + at + "from (" + from + ")"));
      }
      gaps.add(new ReadingBatch.Gap(from, to));
    }
    return gaps;
  }

  /** Decodes an ack. */
  public static Decoded<Ack> decodeAck(byte[] payload) {
    Optional<Ack> plain = plainAck(payload);
    if (plain.isPresent()) {
      return new Decoded.Valid<>(plain.get());
    }
    try {
      JsonNode root = root(payload);
      return new Decoded.Valid<>(new Ack(integer(root, "upTo", 0), integer(root, "t", 0),
          optionalCount(root, "events").orElse(0)));
    } catch (Bad b) {
      return new Decoded.Invalid<>(b.code, b.getMessage());
    }
  }

  /**
   * A well-formed ack read with the streaming parser alone: one object whose {@code v}, {@code upTo},
   * {@code t} and {@code events} (if present) are each given once, as a whole number in range, and
   * other fields are ignored. Anything else, valid or not, is empty here and left to the tree
   * decoder, so its answer and its message stay the one reference.
   */
  private static Optional<Ack> plainAck(byte[] payload) {
    long[] values = {-1, -1, -1, -1}; // v, upTo, t, events; -1: not given
    try (JsonParser p = FACTORY.createParser(payload)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return Optional.empty();
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        int i = switch (p.currentName()) {
          case "v" -> 0;
          case "upTo" -> 1;
          case "t" -> 2;
          case "events" -> 3;
          default -> -1;
        };
        JsonToken value = p.nextToken();
        if (i < 0) {
          skip(p, value); // ignored, as the tree decoder ignores fields it does not know (once read)
          continue;
        }
        if (value != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            || values[i] != -1 || p.getLongValue() < 0) {
          return Optional.empty();
        }
        values[i] = p.getLongValue();
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null || values[0] != VERSION
          || values[1] < 0 || values[2] < 0) {
        return Optional.empty();
      }
    } catch (IOException | NotPlain e) {
      return Optional.empty();
    }
    return Optional.of(new Ack(values[1], values[2], Math.max(values[3], 0)));
  }

  /** Decodes an event batch. */
  public static Decoded<EventBatch> decodeEvents(byte[] payload) {
    try {
      JsonNode root = root(payload);
      String site = id(root, "site");
      String agent = id(root, "agent");
      JsonNode items = root.get("events");
      if (items == null || !items.isArray()) {
        throw new Bad("schema", "events " + shown(items) + " must be a list of events.");
      }
      if (items.isEmpty() || items.size() > EventBatch.MAX_EVENTS) {
        throw new Bad("schema", Checks.message("events", items.size() + " items",
            "hold 1 to " + EventBatch.MAX_EVENTS + " events"));
      }
      List<AgentEvent> events = new ArrayList<>(items.size());
      long previous = 0;
      for (int i = 0; i < items.size(); i++) {
        String at = "events[" + i + "].";
        JsonNode item = items.get(i);
        if (!item.isObject()) {
          throw new Bad("schema", "events[" + i + "] must be a JSON object.");
        }
        long seq = integer(item, at, "seq", 1);
        if (seq <= previous) {
          throw new Bad("schema", Checks.message(at + "seq", seq, "be greater than the one before (" + previous + ")"));
        }
        previous = seq;
        String typeText = text(item, at, "type");
        AgentEvent.Type type = AgentEvent.Type.fromWire(typeText).orElseThrow(() -> new Bad("schema",
            Checks.message(at + "type", typeText,
                "be one of door_open, power_lost, agitator_stopped, alarm_muted, local_alarm")));
        JsonNode active = item.get("active");
        if (active == null || !active.isBoolean()) {
          throw new Bad("schema", Checks.message(at + "active", shown(active), "be true or false"));
        }
        String detail = item.has("detail") ? text(item, at, "detail") : "";
        if (detail.length() > 64 || (type == AgentEvent.Type.LOCAL_ALARM && detail.isEmpty())) {
          throw new Bad("schema", Checks.message(at + "detail", detail,
              "be at most 64 characters, and name the alarm kind of a local_alarm event"));
        }
        boolean synced = true;
        JsonNode s = item.get("synced");
        if (s != null) {
          if (!s.isBoolean()) {
            throw new Bad("schema", Checks.message(at + "synced", shown(s), "be true or false"));
          }
          synced = s.asBoolean();
        }
        events.add(new AgentEvent(seq, integer(item, at, "t", 0), id(item, at, "unit"), type, active.asBoolean(),
            detail, synced));
      }
      return new Decoded.Valid<>(new EventBatch(site, agent, events));
    } catch (Bad b) {
      return new Decoded.Invalid<>(b.code, b.getMessage());
    }
  }

  /** Decodes an agent status. */
  public static Decoded<AgentStatus> decodeStatus(byte[] payload) {
    try {
      JsonNode root = root(payload);
      String state = text(root, "state");
      if (state.equals("offline")) {
        return new Decoded.Valid<>(AgentStatus.lastWill());
      }
      if (!state.equals("online")) {
        throw new Bad("schema", Checks.message("state", state, "be online or offline"));
      }
      return new Decoded.Valid<>(new AgentStatus(true, text(root, "version"),
          integer(root, "startedAt", 0), optionalInteger(root, "outboxDepth", -1),
          optionalCount(root, "oldestUnsent"), optionalCount(root, "dropped"), probes(root.get("probes"))));
    } catch (Bad b) {
      return new Decoded.Invalid<>(b.code, b.getMessage());
    }
  }

  /** The status's probes; empty when absent (older agents). */
  private static List<AgentStatus.Probe> probes(JsonNode items) throws Bad {
    if (items == null || items.isNull()) {
      return List.of();
    }
    if (!items.isArray() || items.size() > AgentStatus.MAX_PROBES) {
      throw new Bad("schema", Checks.message("probes", items.isArray() ? items.size() + " items" : items.toString(),
          "be a list of at most " + AgentStatus.MAX_PROBES + " probes"));
    }
    List<AgentStatus.Probe> probes = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      String at = "probes[" + i + "].";
      if (!item.isObject()) {
        throw new Bad("schema", "probes[" + i + "] must be a JSON object.");
      }
      Optional<Quality> quality = Optional.empty();
      if (item.has("quality")) {
        String q = text(item, at, "quality");
        quality = Optional.of(Quality.fromWire(q).orElseThrow(() -> new Bad("schema", Checks.message(at + "quality",
            q, "be one of ok, out_of_range, crc_error, disconnected, power_on_reset"))));
      }
      OptionalLong due = item.has("calibrationDue")
          ? OptionalLong.of(integer(item, at, "calibrationDue", 0)) : OptionalLong.empty();
      Optional<String> certificate = Optional.empty();
      if (item.has("certificate")) {
        String c = text(item, at, "certificate");
        if (!AgentStatus.certificateValid(c)) {
          throw new Bad("schema", Checks.message(at + "certificate", c, AgentStatus.CERTIFICATE_RULE));
        }
        certificate = Optional.of(c);
      }
      boolean overdue = false;
      JsonNode o = item.get("calibrationOverdue");
      if (o != null) {
        if (!o.isBoolean()) {
          throw new Bad("schema", Checks.message(at + "calibrationOverdue", shown(o), "be true or false"));
        }
        overdue = o.asBoolean();
      }
      if (overdue && due.isEmpty()) {
        throw new Bad("schema", Checks.message(at + "calibrationOverdue", true, "come with calibrationDue"));
      }
      probes.add(new AgentStatus.Probe(id(item, at, "unit"), id(item, at, "sensor"), quality, due, certificate,
          overdue));
    }
    return probes;
  }

  private static JsonNode root(byte[] payload) throws Bad {
    JsonNode root;
    try {
      root = Tree.MAPPER.readTree(payload);
    } catch (JsonProcessingException e) {
      throw new Bad("malformed", "payload is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new Bad("malformed", "payload cannot be read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new Bad("malformed", "payload must be a JSON object.");
    }
    JsonNode v = root.get("v");
    if (v == null || !v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() != VERSION) {
      throw new Bad("version", Checks.message("v", v == null ? "missing" : v.toString(),
          "be " + VERSION + ", the protocol version this software speaks"));
    }
    return root;
  }

  private static Reading reading(JsonNode item, String at) throws Bad {
    if (item == null || !item.isObject()) {
      throw new Bad("schema", at.substring(0, at.length() - 1) + " must be a JSON object.");
    }
    long seq = integer(item, at, "seq", 1);
    long t = integer(item, at, "t", 0);
    String unit = id(item, at, "unit");
    String sensor = id(item, at, "sensor");
    String q = text(item, at, "quality");
    Optional<Quality> quality = Quality.fromWire(q);
    if (quality.isEmpty()) {
      throw new Bad("schema", Checks.message(at + "quality", q,
          "be one of ok, out_of_range, crc_error, disconnected, power_on_reset"));
    }
    double value = Double.NaN;
    JsonNode v = item.get("value");
    if (quality.get() == Quality.OK) {
      if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
        throw new Bad("schema", Checks.message(at + "value", shown(v),
            "be a temperature in °C when quality is ok"));
      }
      value = v.asDouble();
    } else if (v != null && !v.isNull() && !v.isNumber()) {
      throw new Bad("schema", Checks.message(at + "value", shown(v), "be a number or absent"));
    }
    OptionalDouble raw = OptionalDouble.empty();
    JsonNode r = item.get("raw");
    if (r != null && !r.isNull()) {
      if (!r.isNumber() || !Double.isFinite(r.asDouble())) {
        throw new Bad("schema", Checks.message(at + "raw", shown(r), "be the probe's value in °C before calibration"));
      }
      if (quality.get() == Quality.OK) {
        raw = OptionalDouble.of(r.asDouble());
      }
    }
    return new Reading(seq, t, unit, sensor, value, quality.get(), flag(item, at, "synced", true), raw,
        flag(item, at, "timeCorrected", false));
  }

  /** An optional true/false field. */
  private static boolean flag(JsonNode item, String at, String field, boolean fallback) throws Bad {
    JsonNode n = item.get(field);
    if (n == null) {
      return fallback;
    }
    if (!n.isBoolean()) {
      throw new Bad("schema", Checks.message(at + field, shown(n), "be true or false"));
    }
    return n.asBoolean();
  }

  private static String shown(JsonNode n) {
    return n == null ? "missing" : n.toString();
  }

  private static long integer(JsonNode obj, String field, long min) throws Bad {
    return integer(obj, "", field, min);
  }

  private static long integer(JsonNode obj, String at, String field, long min) throws Bad {
    JsonNode n = obj.get(field);
    if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < min) {
      throw new Bad("schema", Checks.message(at + field, shown(n), "be a whole number of at least " + min));
    }
    return n.asLong();
  }

  private static long optionalInteger(JsonNode obj, String field, long fallback) throws Bad {
    JsonNode n = obj.get(field);
    if (n == null) {
      return fallback;
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw new Bad("schema", Checks.message(field, shown(n), "be a whole number"));
    }
    return n.asLong();
  }

  /** A whole number of at least 0 when {@code field} is present; empty when absent or null. */
  private static OptionalLong optionalCount(JsonNode obj, String field) throws Bad {
    JsonNode n = obj.get(field);
    if (n == null || n.isNull()) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(integer(obj, field, 0));
  }

  private static String text(JsonNode obj, String field) throws Bad {
    return text(obj, "", field);
  }

  private static String text(JsonNode obj, String at, String field) throws Bad {
    JsonNode n = obj.get(field);
    if (n == null || !n.isTextual()) {
      throw new Bad("schema", Checks.message(at + field, shown(n), "be text"));
    }
    return n.asText();
  }

  private static String id(JsonNode obj, String field) throws Bad {
    return id(obj, "", field);
  }

  private static String id(JsonNode obj, String at, String field) throws Bad {
    String s = text(obj, at, field);
    if (!Checks.isId(s)) {
      throw new Bad("schema", Checks.message(at + field, s, Checks.ID_RULE));
    }
    return s;
  }
}
