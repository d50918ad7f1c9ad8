package org.sangfroid.core.wire;

import static java.util.stream.Collectors.joining;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 6: {@link WireCodec#decodeBatch} reads a valid batch with the streaming parser and leaves
 * anything else to the tree decoder it replaced ({@link WireCodec#treeBatch}, unchanged). Here both
 * must give equal results (the same batch, or the same code and message) on generated valid
 * batches, on JSON the encoder never writes but the contract allows, and on malformed payloads of
 * every kind; and the streaming reader must take every valid batch an agent sends, or the gateway
 * would stay on the slow path. Every batch payload of WireCodecTest goes through
 * {@link #decodeBothWays} too.
 */
class WireDecodeDifferentialTest {
  /**
   * Decodes {@code payload} the old way and the new, asserts they agree (and that the streaming
   * reader, when it takes a payload, reads what the tree reads), and returns the answer.
   */
  static Decoded<ReadingBatch> decodeBothWays(byte[] payload) {
    Decoded<ReadingBatch> tree = WireCodec.treeBatch(payload);
    Optional<ReadingBatch> plain = WireCodec.plainBatch(payload);
    if (plain.isPresent()) {
      assertThat(new Decoded.Valid<>(plain.get())).as(() -> "streaming reader on " + shown(payload)).isEqualTo(tree);
    }
    assertThat(WireCodec.decodeBatch(payload)).as(() -> "decodeBatch on " + shown(payload)).isEqualTo(tree);
    return tree;
  }

  /** Like {@link #decodeBothWays}, for a valid batch: the tree reads it and the streaming reader takes it. */
  private static ReadingBatch decodeValid(byte[] payload) {
    Decoded<ReadingBatch> tree = decodeBothWays(payload);
    assertThat(tree).as(() -> "the tree on " + shown(payload)).isInstanceOf(Decoded.Valid.class);
    assertThat(WireCodec.plainBatch(payload)).as(() -> "the streaming reader takes " + shown(payload)).isPresent();
    return ((Decoded.Valid<ReadingBatch>) tree).value();
  }

  private static String shown(byte[] payload) {
    String s = new String(payload, StandardCharsets.UTF_8);
    return s.length() <= 600 ? s : s.substring(0, 600) + "… (" + payload.length + " bytes)";
  }

  private static byte[] utf8(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  // ---- (b) valid batches ----

  @Test
  void encodedBatches_areTakenByTheStreamingReader_asTheTreeReadsThem() {
    Random rnd = new Random(61);
    for (int i = 0; i < 2500; i++) {
      ReadingBatch batch = randomBatch(rnd);

      assertThat(decodeValid(WireCodec.encode(batch))).isEqualTo(batch);
    }
  }

  /** Field order, unknown fields, whitespace, escapes, nulls, defaults given, other number forms. */
  @Test
  void batchesInAnyFormTheContractAllows_areTakenByTheStreamingReader_asTheTreeReadsThem() {
    Random rnd = new Random(62);
    for (int i = 0; i < 1500; i++) {
      decodeValid(utf8(Doc.freeForm(randomBatch(rnd), rnd).json()));
    }
  }

  /** The streaming reader's numbers come from FastDoubleParser, the tree's from the JDK: hard cases. */
  @Test
  void numbersOfEveryShape_readTheSameBothWays() {
    Random rnd = new Random(63);
    List<String> numbers = new ArrayList<>(List.of("0", "-0", "0.0", "-0.0", "1e-400", "-1e-400", "4.9e-324",
        "2.4703282292062328e-324", "2.4703282292062327e-324", "2.2250738585072011e-308", "2.2250738585072012e-308",
        "1.7976931348623157e308", "1.7976931348623158e308", "9007199254740993", "9007199254740993.0",
        "0.1000000000000000055511151231257827021181583404541015625",
        "1.00000000000000011102230246251565404236316680908203125",
        "1.00000000000000011102230246251565404236316680908203124",
        "1.00000000000000011102230246251565404236316680908203126",
        "123456789012345678901234567890e-10", "4.125E+00", "-79.99999999999999", "1E2", "1e+2", "1.0E-5"));
    for (int i = 0; i < 3000; i++) {
      numbers.add(randomDecimal(rnd));
      double d = randomFinite(rnd);
      numbers.add(new BigDecimal(d).toString());
      numbers.add(String.format(Locale.ROOT, "%.17e", d));
      numbers.add(String.format(Locale.ROOT, "%.25g", d).replace("+", ""));
    }
    int taken = 0;
    for (String n : numbers) {
      String reading = "{\"seq\":1,\"t\":1,\"unit\":\"u\",\"sensor\":\"s\",\"value\":" + n + ",\"raw\":" + n
          + ",\"quality\":\"ok\"}";
      byte[] payload = utf8("{\"v\":1,\"site\":\"s\",\"agent\":\"a\",\"readings\":[" + reading + "]}");
      decodeBothWays(payload);
      taken += WireCodec.plainBatch(payload).isPresent() ? 1 : 0;
    }
    assertThat(taken).as("numbers the streaming reader read itself").isGreaterThan(numbers.size() * 9 / 10);
  }

  // ---- (c) malformed payloads, each from the valid ones below ----

  /** A batch with every field, a fault, two gaps and oldest: the start of every mutation. */
  private static final ReadingBatch BASE = new ReadingBatch("casa-01", "agent-01", 3,
      List.of(new ReadingBatch.Gap(1, 2), new ReadingBatch.Gap(6, 7)), List.of(
          new Reading(5, 1_763_900_000_000L, "rbc-fridge-1", "28-0316a2794aff", 4.125, Quality.OK, true,
              OptionalDouble.of(4.0625), false),
          new Reading(8, 1_763_900_000_001L, "ffp-freezer-1", "28-0316a2794b00", Double.NaN, Quality.CRC_ERROR, true),
          new Reading(12, 1_763_900_060_000L, "rbc-fridge-1", "28-0316a2794aff", -0.0625, Quality.OK, false,
              OptionalDouble.empty(), true)));

  /**
   * The base batch as the encoder writes it, with unknown fields, and twice as another agent might
   * (order, spaces, extras).
   */
  private static List<Doc> bases() {
    Doc noted = Doc.of(BASE);
    noted.root.add(1, new Field("note", "\"text\""));
    noted.readings.get(0).add(2, new Field("note", "{\"a\":[\"text\",1.5,null]}"));
    Random rnd = new Random(64);
    return List.of(Doc.of(BASE), noted, Doc.freeForm(BASE, rnd), Doc.freeForm(BASE, rnd));
  }

  private static final List<String> ROOT_FIELDS = List.of("v", "site", "agent", "oldest", "gaps", "readings");
  private static final List<String> READING_FIELDS =
      List.of("seq", "t", "unit", "sensor", "value", "raw", "quality", "synced", "timeCorrected");
  private static final List<String> GAP_FIELDS = List.of("from", "to");

  /** Wrong types, and values out of range or at its edge. */
  private static final List<String> JSON_VALUES = List.of("\"1\"", "\"x\"", "\"\"", "\"ok\"", "\"crc_error\"", "\"OK\"",
      "\"a/b\"", "\"" + "a".repeat(64) + "\"", "\"" + "a".repeat(65) + "\"", "\"é\"", "\"\\u0041\"", "\"a\\u0000\"",
      "0", "1", "2", "3", "13", "-1", "-0", "1.0", "1.5", "-0.0", "1e0", "1E2", "4.5e-1", "1e400", "-1e400", "1e-400",
      "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
      "99999999999999999999", "123456789012345678901234567890.5", "true", "false", "null", "{}", "[]", "[1]",
      "[{}]", "{\"a\":1}", "[{\"from\":9,\"to\":9}]",
      "[{\"seq\":1,\"t\":1,\"unit\":\"u\",\"sensor\":\"s\",\"quality\":\"disconnected\"}]");

  /** {@link #JSON_VALUES} and values that are not JSON at all. */
  private static final List<String> VALUES = Stream.concat(JSON_VALUES.stream(), Stream.of("01", "+1", ".5", "1.",
      "1e", "0x10", "NaN", "Infinity", "-Infinity", "'x'", "tru", "nul", "\"open", "[1,]",
      "{\"a\":}", "{", "]", "", "\"\u0001\"", "\"\\q\"")).toList();

  @Test
  void eachFieldRemoved_decodesAsTheTreeDecodes() {
    Outcomes outcomes = new Outcomes();
    for (Doc base : bases()) {
      forEachField(base, (target, name) -> outcomes.add(base.edit(target, fields -> remove(fields, name))));
    }
    outcomes.assertSeen(true, true);
  }

  @Test
  void eachFieldWithEachWrongOrEdgeValue_decodesAsTheTreeDecodes() {
    Outcomes outcomes = new Outcomes();
    for (Doc base : bases()) {
      forEachField(base, (target, name) -> {
        for (String value : VALUES) {
          outcomes.add(base.edit(target, fields -> set(fields, name, value)));
        }
      });
    }
    outcomes.assertSeen(true, true);
  }

  /** The tree keeps the last of a field given twice; the streaming reader leaves such a payload. */
  @Test
  void eachFieldGivenTwice_decodesAsTheTreeDecodes() {
    Outcomes outcomes = new Outcomes();
    for (Doc base : bases()) {
      forEachField(base, (target, name) -> {
        for (String value : JSON_VALUES) {
          outcomes.add(base.edit(target, fields -> twice(fields, name, value, true)));
          outcomes.add(base.edit(target, fields -> twice(fields, name, value, false)));
        }
      });
    }
    outcomes.assertSeen(true, true);
  }

  @Test
  void unknownFields_areSkipped_asTheTreeIgnoresThem() {
    Outcomes outcomes = new Outcomes();
    for (Doc base : bases()) {
      for (Function<Doc, List<Field>> target : targets(base)) {
        for (String value : VALUES) {
          for (String name : List.of("note", "Seq", "VALUE", "quality ", "")) {
            outcomes.add(base.edit(target, fields -> fields.add(new Field(name, value))));
          }
        }
        outcomes.add(base.edit(target, fields -> fields.add(new Field("deep", "[".repeat(200) + "]".repeat(200)))));
        outcomes.add(base.edit(target, fields -> fields.add(new Field("deep", "[".repeat(2000) + "]".repeat(2000)))));
      }
    }
    outcomes.assertSeen(true, true);
    assertThat(outcomes.takenByTheStreamingReader).as("valid extras the streaming reader skipped").isGreaterThan(500);
  }

  @Test
  void everyTruncation_decodesAsTheTreeDecodes() {
    Outcomes outcomes = new Outcomes();
    for (Doc base : bases()) {
      byte[] whole = utf8(base.json());
      for (int end = 0; end < whole.length; end++) {
        outcomes.add(java.util.Arrays.copyOf(whole, end));
      }
    }
    outcomes.assertSeen(false, true);
  }

  @Test
  void contentAfterTheBatch_decodesAsTheTreeDecodes() {
    Outcomes outcomes = new Outcomes();
    for (Doc base : bases()) {
      for (String after : List.of(" ", "\n", "x", "}", "{", "]", ",", "{\"v\":2}", "\u0000", "\"", "/* c */")) {
        outcomes.add(utf8(base.json() + after));
      }
      outcomes.add(concat(utf8(base.json()), new byte[] {(byte) 0xFF, (byte) 0xC3}));
    }
    outcomes.assertSeen(true, false);
  }

  @Test
  void corruptedBytes_decodeAsTheTreeDecodes() {
    Random rnd = new Random(65);
    byte[] interesting = utf8("{}[],:\"\\01-.eE tnfu/a");
    Outcomes outcomes = new Outcomes();
    for (Doc base : bases()) {
      byte[] whole = utf8(base.json());
      for (int i = 0; i < 1500; i++) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = rnd.nextInt(whole.length);
        byte b = rnd.nextBoolean() ? interesting[rnd.nextInt(interesting.length)] : (byte) rnd.nextInt(256);
        int op = rnd.nextInt(3);
        out.write(whole, 0, at);
        if (op != 2) {
          out.write(b); // 0: replaced, 1: inserted
        }
        int from = op == 1 ? at : at + 1;
        out.write(whole, from, whole.length - from);
        outcomes.add(out.toByteArray());
      }
    }
    outcomes.assertSeen(true, true);
  }

  @Test
  void badUtf8AndOtherEncodings_decodeAsTheTreeDecodes() {
    List<byte[]> bad = List.of(new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xC0,
        (byte) 0x80}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xF4, (byte) 0x90,
        (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0xE2, (byte) 0x82}, new byte[] {0x01}, new byte[] {0x7F},
        new byte[] {(byte) 0xC3, (byte) 0xA9});
    Outcomes outcomes = new Outcomes();
    for (Doc base : bases()) {
      String json = base.json();
      // In an id, in an unknown field's text, in a field's name.
      for (String around : List.of("\"rbc-fridge-1\"", "\"text\"", "\"synced\"")) {
        int at = json.indexOf(around) + around.length() - 1;
        for (byte[] b : bad) {
          if (at >= around.length() - 1) {
            outcomes.add(concat(utf8(json.substring(0, at)), b, utf8(json.substring(at))));
          }
        }
      }
      outcomes.add(concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8(json)));
      for (Charset c : List.of(StandardCharsets.UTF_16, StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE,
          Charset.forName("UTF-32BE"), StandardCharsets.ISO_8859_1)) {
        outcomes.add(json.getBytes(c));
      }
    }
    outcomes.assertSeen(true, true);
  }

  @Test
  void otherRoots_decodeAsTheTreeDecodes() {
    Outcomes outcomes = new Outcomes();
    for (String json : List.of("", " ", "null", "1", "\"x\"", "[]", "[{}]", "{}", "{\"v\":1}", "true", "{\"v\":1,}",
        "{\"v\":1,\"site\":\"s\",\"agent\":\"a\"}", "[" + Doc.of(BASE).json() + "]", "// c\n" + Doc.of(BASE).json())) {
      outcomes.add(utf8(json));
    }
    outcomes.assertSeen(false, true);
  }

  // ---- the readings list, seq order, gaps and oldest ----

  @Test
  void readingListsOfEveryLength_decodeAsTheTreeDecodes() {
    Random rnd = new Random(66);
    Doc full = Doc.of(batchOf(rnd, ReadingBatch.MAX_READINGS));
    decodeValid(utf8(full.json()));
    Doc tooMany = Doc.of(batchOf(rnd, ReadingBatch.MAX_READINGS));
    List<Field> extra = new ArrayList<>(tooMany.readings.get(0));
    set(extra, "seq", "999999999");
    tooMany.readings.add(extra);

    Decoded<ReadingBatch> decoded = decodeBothWays(utf8(tooMany.json()));

    assertThat(decoded)
        .isEqualTo(new Decoded.Invalid<>("schema", "readings [2001 items] must hold 1 to 2000 readings."));
    Outcomes outcomes = new Outcomes();
    for (Doc base : bases()) {
      outcomes.add(base.edit(d -> d.readings, List::clear));
      for (String item : List.of("1", "null", "\"x\"", "[]", "[{}]", "{}", "true")) {
        outcomes.add(base.edit(d -> d.readings, readings -> readings.add(1, List.of(new Field(null, item)))));
      }
    }
    outcomes.assertSeen(false, true);
  }

  @Test
  void seqNotIncreasing_decodesAsTheTreeDecodes() {
    Outcomes outcomes = new Outcomes();
    for (Doc base : bases()) {
      outcomes.add(base.edit(d -> d.readings, readings -> Collections.swap(readings, 0, 1)));
      outcomes.add(base.edit(d -> d.readings, readings -> Collections.swap(readings, 1, 2)));
      outcomes.add(base.edit(d -> d.readings, readings -> readings.add(readings.get(2))));
      outcomes.add(base.edit(d -> d.readings.get(1), fields -> set(fields, "seq", "5")));
      outcomes.add(base.edit(d -> d.readings.get(2), fields -> set(fields, "seq", "7")));
    }
    outcomes.assertSeen(false, true);
  }

  @Test
  void badGapsAndOldest_decodeAsTheTreeDecodes() {
    List<String> gapLists = List.of("[]", "null", "[{\"from\":1,\"to\":4}]", "[{\"from\":6,\"to\":8}]",
        "[{\"from\":9,\"to\":11}]", "[{\"from\":9,\"to\":12}]", "[{\"from\":13,\"to\":13}]", "[{\"from\":4,\"to\":3}]",
        "[{\"from\":1,\"to\":2},{\"from\":3,\"to\":4}]", "[{\"from\":1,\"to\":2},{\"from\":4,\"to\":4}]",
        "[{\"from\":6,\"to\":7},{\"from\":1,\"to\":2}]", "[{\"from\":1,\"to\":3},{\"from\":2,\"to\":4}]",
        "[{\"from\":1,\"to\":1},{\"from\":3,\"to\":3},{\"from\":6,\"to\":6},{\"from\":9,\"to\":9}]",
        "[{\"from\":1,\"to\":1},{\"from\":3,\"to\":3},{\"from\":9,\"to\":9}]", "[" + String.join(",",
            Collections.nCopies(ReadingBatch.MAX_READINGS + 1, "{\"from\":1,\"to\":1}")) + "]");
    Outcomes outcomes = new Outcomes();
    for (Doc base : bases()) {
      for (String gaps : gapLists) {
        outcomes.add(base.edit(d -> d.root, fields -> set(fields, "gaps", gaps)));
      }
      for (String oldest : List.of("1", "4", "5", "6", "12")) {
        outcomes.add(base.edit(d -> d.root, fields -> set(fields, "oldest", oldest)));
      }
    }
    outcomes.assertSeen(true, true);
  }

  /**
   * The streaming reader skips an unknown field without building its text, so it cannot see a
   * string longer than the parser allows; the tree can, and rejects it: such a payload goes to the tree.
   */
  @Test
  void aStringLongerThanTheParserAllows_inAnUnknownField_isLeftToTheTree() {
    int longest = StreamReadConstraints.defaults().getMaxStringLength();
    String json = Doc.of(BASE).json();
    byte[] payload = utf8("{\"note\":\"" + "a".repeat(longest + 1) + "\"," + json.substring(1));

    Decoded<ReadingBatch> decoded = decodeBothWays(payload);

    assertThat(decoded).isInstanceOf(Decoded.Invalid.class);
    assertThat(((Decoded.Invalid<ReadingBatch>) decoded).reason()).contains("String value length");
  }

  // ---- the generators ----

  /** How a family of payloads came out: checks the family holds what it is meant to test. */
  private static final class Outcomes {
    int valid;
    int invalid;
    int takenByTheStreamingReader;

    void add(byte[] payload) {
      if (decodeBothWays(payload) instanceof Decoded.Valid) {
        valid++;
      } else {
        invalid++;
      }
      takenByTheStreamingReader += WireCodec.plainBatch(payload).isPresent() ? 1 : 0;
    }

    void assertSeen(boolean someValid, boolean someInvalid) {
      assertThat(invalid).as("invalid payloads").is(someInvalid ? positive() : zeroOrMore());
      assertThat(valid).as("valid payloads").is(someValid ? positive() : zeroOrMore());
    }

    private static org.assertj.core.api.Condition<Integer> positive() {
      return new org.assertj.core.api.Condition<>(n -> n > 0, "some");
    }

    private static org.assertj.core.api.Condition<Integer> zeroOrMore() {
      return new org.assertj.core.api.Condition<>(n -> n >= 0, "any");
    }
  }

  /** One field of a JSON object, its value as JSON text; a null name: a list item, not a field. */
  private record Field(String name, String json) {}

  /**
   * A batch as editable JSON: the root's fields, each reading's and each gap's, values as JSON
   * text; a root field {@code readings} or {@code gaps} without text is the list below.
   */
  private static final class Doc {
    final List<Field> root = new ArrayList<>();
    final List<List<Field>> readings = new ArrayList<>();
    final List<List<Field>> gaps = new ArrayList<>();
    /** Whitespace between tokens, when not null. */
    Random spaces;

    /** As the encoder writes it. */
    static Doc of(ReadingBatch b) {
      Doc d = new Doc();
      d.root.addAll(List.of(new Field("v", "1"), new Field("site", quote(b.site())),
          new Field("agent", quote(b.agent()))));
      if (b.oldest() > 0) {
        d.root.add(new Field("oldest", Long.toString(b.oldest())));
      }
      if (!b.gaps().isEmpty()) {
        d.root.add(new Field("gaps", null));
      }
      d.root.add(new Field("readings", null));
      for (ReadingBatch.Gap g : b.gaps()) {
        d.gaps.add(new ArrayList<>(List.of(new Field("from", Long.toString(g.from())),
            new Field("to", Long.toString(g.to())))));
      }
      for (Reading r : b.readings()) {
        List<Field> f = new ArrayList<>(List.of(new Field("seq", Long.toString(r.seq())),
            new Field("t", Long.toString(r.time())), new Field("unit", quote(r.unit())),
            new Field("sensor", quote(r.sensor()))));
        if (r.valid()) {
          f.add(new Field("value", Double.toString(r.celsius())));
        }
        r.raw().ifPresent(raw -> f.add(new Field("raw", Double.toString(raw))));
        f.add(new Field("quality", quote(r.quality().wire())));
        if (!r.clockSynced()) {
          f.add(new Field("synced", "false"));
        }
        if (r.timeCorrected()) {
          f.add(new Field("timeCorrected", "true"));
        }
        d.readings.add(f);
      }
      return d;
    }

    /**
     * As another agent may write it within the contract: fields in any order, unknown fields,
     * whitespace, escaped characters, defaults given, nulls where the contract takes them as
     * absent, a number for a fault's value, numbers in other forms.
     */
    static Doc freeForm(ReadingBatch b, Random rnd) {
      Doc d = new Doc();
      d.spaces = rnd.nextBoolean() ? rnd : null;
      d.root.addAll(List.of(new Field("v", "1"), new Field("site", quote(b.site(), rnd)),
          new Field("agent", quote(b.agent(), rnd)), new Field("readings", null)));
      if (b.oldest() > 0) {
        d.root.add(new Field("oldest", Long.toString(b.oldest())));
      }
      if (!b.gaps().isEmpty()) {
        d.root.add(new Field("gaps", null));
      } else if (rnd.nextInt(4) == 0) {
        d.root.add(new Field("gaps", rnd.nextBoolean() ? "null" : "[]"));
      }
      unknown(d.root, rnd);
      Collections.shuffle(d.root, rnd);
      for (ReadingBatch.Gap g : b.gaps()) {
        List<Field> f = new ArrayList<>(List.of(new Field("from", Long.toString(g.from())),
            new Field("to", Long.toString(g.to()))));
        unknown(f, rnd);
        Collections.shuffle(f, rnd);
        d.gaps.add(f);
      }
      for (Reading r : b.readings()) {
        List<Field> f = new ArrayList<>(List.of(new Field("seq", Long.toString(r.seq())),
            new Field("t", r.time() == 0 && rnd.nextBoolean() ? "-0" : Long.toString(r.time())),
            new Field("unit", quote(r.unit(), rnd)), new Field("sensor", quote(r.sensor(), rnd)),
            new Field("quality", quote(r.quality().wire(), rnd))));
        if (r.valid()) {
          f.add(new Field("value", number(r.celsius(), rnd)));
          if (r.raw().isPresent()) {
            f.add(new Field("raw", number(r.raw().getAsDouble(), rnd)));
          } else if (rnd.nextInt(4) == 0) {
            f.add(new Field("raw", "null"));
          }
        } else {
          switch (rnd.nextInt(5)) {
            case 0 -> f.add(new Field("value", "null"));
            case 1 -> f.add(new Field("value", rnd.nextBoolean() ? "1e400" : number(randomFinite(rnd), rnd)));
            case 2 -> f.add(new Field("raw", rnd.nextBoolean() ? "null" : number(randomFinite(rnd), rnd)));
            default -> { }
          }
        }
        if (!r.clockSynced() || rnd.nextInt(4) == 0) {
          f.add(new Field("synced", Boolean.toString(r.clockSynced())));
        }
        if (r.timeCorrected() || rnd.nextInt(4) == 0) {
          f.add(new Field("timeCorrected", Boolean.toString(r.timeCorrected())));
        }
        unknown(f, rnd);
        Collections.shuffle(f, rnd);
        d.readings.add(f);
      }
      return d;
    }

    private static void unknown(List<Field> fields, Random rnd) {
      List<String> values = List.of("1", "\"text\"", "null", "true", "[1,2,{\"a\":[]}]", "{\"seq\":0,\"value\":\"x\"}",
          "1e400", "99999999999999999999999", "-1.5e-3", "\"\\u00e9\\n\"", "[[[[[[[[[[]]]]]]]]]]", "{}");
      List<String> names = List.of("note", "probeNote", "Seq", "VALUE", "quality ", "é", "");
      for (int i = rnd.nextInt(8) == 0 ? 1 + rnd.nextInt(3) : 0; i > 0; i--) {
        fields.add(new Field(names.get(rnd.nextInt(names.size())), values.get(rnd.nextInt(values.size()))));
      }
    }

    /** A copy with one list of fields (picked from the copy by {@code target}) edited. */
    <T> byte[] edit(Function<Doc, T> target, Consumer<T> change) {
      Doc copy = new Doc();
      copy.root.addAll(root);
      readings.forEach(r -> copy.readings.add(new ArrayList<>(r)));
      gaps.forEach(g -> copy.gaps.add(new ArrayList<>(g)));
      copy.spaces = spaces == null ? null : new Random(7);
      change.accept(target.apply(copy));
      return utf8(copy.json());
    }

    String json() {
      Random keep = spaces;
      if (spaces != null) {
        spaces = new Random(7); // the same whitespace for every rendering of one document
      }
      String json = object(root);
      spaces = keep;
      return json;
    }

    private String object(List<Field> fields) {
      if (fields.size() == 1 && fields.get(0).name() == null) {
        return fields.get(0).json(); // a list item that is not an object
      }
      return fields.stream().map(f -> ws() + quote(f.name()) + ws() + ":" + ws() + value(f) + ws())
          .collect(joining(",", "{", "}"));
    }

    private String value(Field f) {
      if (f.json() != null) {
        return f.json();
      }
      List<List<Field>> items = f.name().equals("readings") ? readings : gaps;
      return items.stream().map(i -> ws() + object(i) + ws()).collect(joining(",", "[", "]"));
    }

    private String ws() {
      if (spaces == null || spaces.nextInt(3) != 0) {
        return "";
      }
      return List.of(" ", "\n", "\t", "\r\n", "  ").get(spaces.nextInt(5));
    }
  }

  private static List<Function<Doc, List<Field>>> targets(Doc d) {
    List<Function<Doc, List<Field>>> targets = new ArrayList<>();
    targets.add(doc -> doc.root);
    for (int i = 0; i < d.readings.size(); i++) {
      int at = i;
      targets.add(doc -> doc.readings.get(at));
    }
    for (int i = 0; i < d.gaps.size(); i++) {
      int at = i;
      targets.add(doc -> doc.gaps.get(at));
    }
    return targets;
  }

  private interface FieldVisitor {
    void visit(Function<Doc, List<Field>> target, String name);
  }

  /** Every field of the root, of each reading and of each gap, present in {@code d} or not. */
  private static void forEachField(Doc d, FieldVisitor visitor) {
    List<Function<Doc, List<Field>>> targets = targets(d);
    ROOT_FIELDS.forEach(name -> visitor.visit(targets.get(0), name));
    for (int i = 1; i < targets.size(); i++) {
      for (String name : i <= d.readings.size() ? READING_FIELDS : GAP_FIELDS) {
        visitor.visit(targets.get(i), name);
      }
    }
  }

  private static void remove(List<Field> fields, String name) {
    fields.removeIf(f -> name.equals(f.name()));
  }

  /** Sets {@code name} to {@code json} where it is, or adds it. */
  private static void set(List<Field> fields, String name, String json) {
    for (int i = 0; i < fields.size(); i++) {
      if (name.equals(fields.get(i).name())) {
        fields.set(i, new Field(name, json));
        return;
      }
    }
    fields.add(new Field(name, json));
  }

  /** Gives {@code name} a second time with {@code json}, before or after the first. */
  private static void twice(List<Field> fields, String name, String json, boolean before) {
    for (int i = 0; i < fields.size(); i++) {
      if (name.equals(fields.get(i).name())) {
        fields.add(before ? i : i + 1, new Field(name, json));
        return;
      }
    }
    fields.add(new Field(name, json));
    fields.add(new Field(name, json));
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** {@code s} quoted, now and then with a character as a JSON escape. */
  private static String quote(String s, Random rnd) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      out.append(rnd.nextInt(10) == 0 ? String.format(Locale.ROOT, "\\u%04x", (int) c) : String.valueOf(c));
    }
    return out.append('"').toString();
  }

  /** {@code d} as JSON text in one of several forms that read back as {@code d}. */
  private static String number(double d, Random rnd) {
    return switch (rnd.nextInt(6)) {
      // exact: up to hundreds of digits, or E notation; a whole number beyond a long is a double's
      case 0 -> d == Math.rint(d) && Math.abs(d) >= 0x1p63 ? Double.toString(d) : new BigDecimal(d).toString();
      case 1 -> String.format(Locale.ROOT, "%.17e", d);
      case 2 -> String.format(Locale.ROOT, "%.16E", d).replace("E+", "E");
      case 3 -> d == Math.rint(d) && Math.abs(d) < 1e15 && d != 0 ? Long.toString((long) d) : Double.toString(d);
      default -> Double.toString(d);
    };
  }

  /** A decimal of up to 30 digits and an exponent, most of them not a double's shortest form. */
  private static String randomDecimal(Random rnd) {
    StringBuilder s = new StringBuilder(rnd.nextBoolean() ? "-" : "");
    s.append(1 + rnd.nextInt(9));
    for (int i = rnd.nextInt(20); i > 0; i--) {
      s.append(rnd.nextInt(10));
    }
    if (rnd.nextBoolean()) {
      s.append('.');
      for (int i = 1 + rnd.nextInt(12); i > 0; i--) {
        s.append(rnd.nextInt(10));
      }
    }
    if (rnd.nextBoolean()) {
      s.append(rnd.nextBoolean() ? 'e' : 'E').append(rnd.nextInt(-350, 270));
    }
    return s.toString();
  }

  private static double randomFinite(Random rnd) {
    return switch (rnd.nextInt(6)) {
      case 0 -> Math.round(rnd.nextDouble(-80, 60) * 16) / 16.0; // a DS18B20's 1/16 °C
      case 1 -> Math.round(rnd.nextDouble(-80, 60) * 1000) / 1000.0;
      case 2 -> rnd.nextDouble(-100, 100);
      case 3 -> List.of(0.0, -0.0, 1e-5, 4.0, Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 1e20)
          .get(rnd.nextInt(8));
      default -> {
        double d;
        do {
          d = Double.longBitsToDouble(rnd.nextLong());
        } while (!Double.isFinite(d));
        yield d;
      }
    };
  }

  /** A valid batch: mostly a few readings, now and then up to 2000; few ids or many; gaps, oldest. */
  private static ReadingBatch randomBatch(Random rnd) {
    int n = switch (rnd.nextInt(25)) {
      case 0 -> 1 + rnd.nextInt(ReadingBatch.MAX_READINGS);
      case 1 -> 1;
      default -> 1 + rnd.nextInt(30);
    };
    return batchOf(rnd, n);
  }

  private static ReadingBatch batchOf(Random rnd, int n) {
    int idCount = rnd.nextInt(10) == 0 ? 1 + rnd.nextInt(200) : 1 + rnd.nextInt(6);
    List<String> units = new ArrayList<>();
    List<String> sensors = new ArrayList<>();
    for (int i = 0; i < idCount; i++) {
      units.add(randomId(rnd));
      sensors.add(rnd.nextBoolean() ? String.format(Locale.ROOT, "28-%012x", rnd.nextLong(1L << 48)) : randomId(rnd));
    }
    long seq = rnd.nextInt(4) == 0 ? 1 + rnd.nextLong(Long.MAX_VALUE / 4) : 1 + rnd.nextInt(1000);
    List<ReadingBatch.Gap> gaps = new ArrayList<>();
    if (seq > 1 && rnd.nextInt(4) == 0) {
      gaps.add(gapIn(1, seq - 1, rnd));
    }
    long time = rnd.nextInt(20) == 0 ? 0 : 1_700_000_000_000L + rnd.nextInt(1_000_000_000);
    List<Reading> readings = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        long step = rnd.nextInt(4) == 0 ? 2 + rnd.nextInt(rnd.nextInt(20) == 0 ? 1_000_000_000 : 10) : 1;
        if (step > 1 && rnd.nextBoolean()) {
          gaps.add(gapIn(seq + 1, seq + step - 1, rnd));
        }
        seq += step;
        time += rnd.nextInt(3) == 0 ? rnd.nextInt(60_000) : 0;
      }
      int probe = rnd.nextInt(idCount);
      Quality quality = rnd.nextInt(5) == 0 ? Quality.values()[rnd.nextInt(Quality.values().length)] : Quality.OK;
      OptionalDouble raw = rnd.nextInt(3) == 0 ? OptionalDouble.of(randomFinite(rnd)) : OptionalDouble.empty();
      boolean synced = rnd.nextInt(8) != 0;
      readings.add(new Reading(seq, time, units.get(probe), sensors.get(probe), randomFinite(rnd), quality, synced,
          raw, synced && rnd.nextInt(8) == 0));
    }
    long oldest = rnd.nextBoolean() ? 0 : 1 + rnd.nextLong(readings.get(0).seq());
    return new ReadingBatch(randomId(rnd), randomId(rnd), oldest, gaps, readings);
  }

  /** A gap within {@code low..high}. */
  private static ReadingBatch.Gap gapIn(long low, long high, Random rnd) {
    long from = low + rnd.nextLong(high - low + 1);
    return new ReadingBatch.Gap(from, from + rnd.nextLong(high - from + 1));
  }

  private static final String ID_FIRST = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final String ID_REST = ID_FIRST + "_.-";

  private static String randomId(Random rnd) {
    int length = rnd.nextInt(10) == 0 ? 1 + rnd.nextInt(64) : 1 + rnd.nextInt(16);
    StringBuilder s = new StringBuilder().append(ID_FIRST.charAt(rnd.nextInt(ID_FIRST.length())));
    while (s.length() < length) {
      s.append(ID_REST.charAt(rnd.nextInt(ID_REST.length())));
    }
    return s.toString();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
