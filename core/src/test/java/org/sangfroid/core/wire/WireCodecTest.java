package org.sangfroid.core.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WireCodecTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonSchema schema(String name) {
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
        .getSchema(WireCodecTest.class.getResourceAsStream("/org/sangfroid/core/wire/" + name));
  }

  private static final JsonSchema READINGS = schema("readings.schema.json");
  private static final JsonSchema ACK = schema("ack.schema.json");
  private static final JsonSchema STATUS = schema("status.schema.json");
  private static final JsonSchema EVENTS = schema("events.schema.json");

  private static JsonNode tree(byte[] json) throws Exception {
    return JSON.readTree(json);
  }

  /** Every batch here is decoded the old way (the tree) and the new, and both must agree (issue 6). */
  private static Decoded<ReadingBatch> decodeBatch(byte[] payload) {
    return WireDecodeDifferentialTest.decodeBothWays(payload);
  }

  private static final ReadingBatch BATCH = new ReadingBatch("casa-01", "agent-01", 17, List.of(
      new Reading(41, 1_763_900_000_000L, "rbc-fridge-1", "28-0316a2794aff", 4.125, Quality.OK, true),
      new Reading(42, 1_763_900_000_000L, "ffp-freezer-1", "28-0316a2794b00", Double.NaN, Quality.CRC_ERROR, true),
      new Reading(43, 1_763_900_060_000L, "rbc-fridge-1", "28-0316a2794aff", -0.0625, Quality.OK, false)));

  @Test
  void batch_roundTrips_andFollowsSchema() throws Exception {
    byte[] json = WireCodec.encode(BATCH);
    assertThat(decodeBatch(json)).isEqualTo(new Decoded.Valid<>(BATCH));
    assertThat(READINGS.validate(tree(json))).isEmpty();
  }

  /**
   * Issue 6: the encoder's exact bytes, every optional field present once, so a faster encoder
   * cannot change what agents send (and the simulator's SHA-256 of a run stays the same).
   */
  @Test
  void encode_batch_givesTheseExactBytes() {
    ReadingBatch batch = new ReadingBatch("casa-01", "agent-01", 3, List.of(new ReadingBatch.Gap(5, 6)), List.of(
        new Reading(4, 1_763_900_000_000L, "rbc-fridge-1", "28-0316a2794aff", 4.125, Quality.OK, true,
            OptionalDouble.of(4.0625), false),
        new Reading(7, 1_763_900_000_001L, "ffp-freezer-1", "28-0316a2794b00", Double.NaN, Quality.CRC_ERROR, true),
        new Reading(8, 1_763_900_060_000L, "rbc-fridge-1", "28-0316a2794aff", -0.0625, Quality.OK, false),
        new Reading(9, 1_763_900_120_000L, "plt.inc_2", "s", 1.0E-5, Quality.OK, true, OptionalDouble.empty(), true),
        new Reading(10, 0, "x", "y", -79.99999999999999, Quality.OK, true)));

    assertThat(new String(WireCodec.encode(batch), StandardCharsets.UTF_8)).isEqualTo("{\"v\":1,\"site\":\"casa-01\","
        + "\"agent\":\"agent-01\",\"oldest\":3,\"gaps\":[{\"from\":5,\"to\":6}],\"readings\":["
        + "{\"seq\":4,\"t\":1763900000000,\"unit\":\"rbc-fridge-1\",\"sensor\":\"28-0316a2794aff\",\"value\":4.125,"
        + "\"raw\":4.0625,\"quality\":\"ok\"},"
        + "{\"seq\":7,\"t\":1763900000001,\"unit\":\"ffp-freezer-1\",\"sensor\":\"28-0316a2794b00\","
        + "\"quality\":\"crc_error\"},"
        + "{\"seq\":8,\"t\":1763900060000,\"unit\":\"rbc-fridge-1\",\"sensor\":\"28-0316a2794aff\",\"value\":-0.0625,"
        + "\"quality\":\"ok\",\"synced\":false},"
        + "{\"seq\":9,\"t\":1763900120000,\"unit\":\"plt.inc_2\",\"sensor\":\"s\",\"value\":1.0E-5,"
        + "\"quality\":\"ok\",\"timeCorrected\":true},"
        + "{\"seq\":10,\"t\":0,\"unit\":\"x\",\"sensor\":\"y\",\"value\":-79.99999999999999,\"quality\":\"ok\"}"
        + "]}");
  }

  @Test
  void ackAndStatus_roundTrip_andFollowSchema() throws Exception {
    Ack ack = new Ack(1234, 1_763_900_000_000L);
    assertThat(WireCodec.decodeAck(WireCodec.encode(ack))).isEqualTo(new Decoded.Valid<>(ack));
    assertThat(ACK.validate(tree(WireCodec.encode(ack)))).isEmpty();
    AgentStatus online = new AgentStatus(true, "0.1.0", 1_763_900_000_000L, 12);
    assertThat(WireCodec.decodeStatus(WireCodec.encode(online))).isEqualTo(new Decoded.Valid<>(online));
    assertThat(STATUS.validate(tree(WireCodec.encode(online)))).isEmpty();
    assertThat(WireCodec.decodeStatus(WireCodec.encode(AgentStatus.lastWill())))
        .isEqualTo(new Decoded.Valid<>(AgentStatus.lastWill()));
    assertThat(STATUS.validate(tree(WireCodec.encode(AgentStatus.lastWill())))).isEmpty();
  }

  private static final String OK_READING =
      "{\"seq\":1,\"t\":1763900000000,\"unit\":\"u1\",\"sensor\":\"s1\",\"value\":4.5,\"quality\":\"ok\"}";

  /**
   * Bad batches: the codec rejects each with a reason naming the field and value, and so does
   * the JSON Schema where it can express the rule (it cannot compare two fields).
   */
  @ParameterizedTest(name = "{2}")
  @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
      schema  | {"v":1,"site":"s","agent":"a"}                                                  | readings missing | true
      schema  | {"v":1,"site":"s","agent":"a","readings":[]}                                    | readings [0 items] must hold | true
      schema  | {"v":1,"site":"s/x","agent":"a","readings":[READING]}                           | site [s/x] must be 1 to 64 | true
      schema  | {"v":1,"site":"s","agent":"a","readings":[{"seq":0,"t":1,"unit":"u","sensor":"x","value":1,"quality":"ok"}]} | readings[0].seq [0] must be | true
      schema  | {"v":1,"site":"s","agent":"a","readings":[{"seq":1,"t":-5,"unit":"u","sensor":"x","value":1,"quality":"ok"}]} | readings[0].t [-5] must be | true
      schema  | {"v":1,"site":"s","agent":"a","readings":[{"seq":1,"t":1,"unit":"u","sensor":"x","quality":"ok"}]}            | readings[0].value [missing] must be a temperature | true
      schema  | {"v":1,"site":"s","agent":"a","readings":[{"seq":1,"t":1,"unit":"u","sensor":"x","value":"4","quality":"ok"}]} | readings[0].value ["4"] must be | true
      schema  | {"v":1,"site":"s","agent":"a","readings":[{"seq":1,"t":1,"unit":"u","sensor":"x","value":4,"quality":"warm"}]} | readings[0].quality [warm] must be one of | true
      schema  | {"v":1,"site":"s","agent":"a","readings":[{"seq":1,"t":1,"unit":"u","sensor":"x","value":4,"quality":"ok","synced":"no"}]} | readings[0].synced ["no"] must be | true
      schema  | {"v":1,"site":"s","agent":"a","oldest":2,"readings":[READING]}                 | oldest [2] must be at most the first reading's seq (1) | false
      schema  | {"v":1,"site":"s","agent":"a","oldest":0,"readings":[READING]}                 | oldest [0] must be a whole number of at least 1 | true
      version | {"v":2,"site":"s","agent":"a","readings":[READING]}                             | v [2] must be 1 | true
      version | {"site":"s","agent":"a","readings":[READING]}                                  | v [missing] must be 1 | true
      malformed | {"v":1,"site":"s",                                                             | payload is not JSON | false
      malformed | [1,2,3]                                                                        | payload must be a JSON object | false
      """)
  void badBatch_isRejectedWithFieldAndValue(String code, String json, String reason, boolean schemaToo)
      throws Exception {
    byte[] bytes = json.replace("READING", OK_READING).getBytes(StandardCharsets.UTF_8);
    Decoded<ReadingBatch> decoded = decodeBatch(bytes);
    assertThat(decoded).isInstanceOf(Decoded.Invalid.class);
    Decoded.Invalid<ReadingBatch> invalid = (Decoded.Invalid<ReadingBatch>) decoded;
    assertThat(invalid.code()).isEqualTo(code);
    assertThat(invalid.reason()).contains(reason);
    if (schemaToo) {
      assertThat(READINGS.validate(tree(bytes))).as("the schema agrees").isNotEmpty();
    }
  }

  @Test
  void seqNotIncreasing_isRejected() {
    String json = "{\"v\":1,\"site\":\"s\",\"agent\":\"a\",\"readings\":[" + OK_READING + "," + OK_READING + "]}";
    assertThat(decodeBatch(json.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new Decoded.Invalid<>("schema", "readings[1].seq [1] must be greater than the one before (1)."));
  }

  @Test
  void batchWithGaps_roundTrips_andFollowsSchema() throws Exception {
    ReadingBatch withGaps = new ReadingBatch("casa-01", "agent-01", 17,
        List.of(new ReadingBatch.Gap(20, 40), new ReadingBatch.Gap(42, 42)), List.of(
            new Reading(41, 1_763_900_000_000L, "rbc-fridge-1", "28-0316a2794aff", 4.125, Quality.OK, true),
            new Reading(43, 1_763_900_060_000L, "rbc-fridge-1", "28-0316a2794aff", 9.5, Quality.OK, true)));
    byte[] json = WireCodec.encode(withGaps);

    assertThat(new String(json, StandardCharsets.UTF_8))
        .contains("\"gaps\":[{\"from\":20,\"to\":40},{\"from\":42,\"to\":42}]");
    assertThat(decodeBatch(json)).isEqualTo(new Decoded.Valid<>(withGaps));
    assertThat(READINGS.validate(tree(json))).isEmpty();
  }

  @Test
  void batchWithoutGaps_hasNoGapsField() {
    assertThat(new String(WireCodec.encode(BATCH), StandardCharsets.UTF_8)).doesNotContain("gaps");
    assertThat(((Decoded.Valid<ReadingBatch>) decodeBatch(WireCodec.encode(BATCH))).value().gaps())
        .isEmpty();
  }

  private static final String R3 =
      "{\"seq\":3,\"t\":1763900000000,\"unit\":\"u1\",\"sensor\":\"s1\",\"value\":4.5,\"quality\":\"ok\"}";
  private static final String R8 = R3.replace("\"seq\":3", "\"seq\":8");

  /** Gaps the codec refuses (issue 3: a gap must describe only seqs the agent dropped). */
  /**
   * The agent decodes acks with the streaming parser; anything but a plain well-formed ack goes
   * to the tree decoder, so both give the same answers and messages.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
      {"v":1,"upTo":5,"t":1}                                    | Valid[value=Ack[upTo=5, time=1, eventsUpTo=0]]
      {"t":1,"events":3,"upTo":5,"v":1}                         | Valid[value=Ack[upTo=5, time=1, eventsUpTo=3]]
      {"v":1,"upTo":0,"t":0,"events":0}                         | Valid[value=Ack[upTo=0, time=0, eventsUpTo=0]]
      {"v":1,"upTo":9223372036854775807,"t":1}                  | Valid[value=Ack[upTo=9223372036854775807, time=1, eventsUpTo=0]]
      {"v":1,"upTo":5,"t":1,"events":null}                      | Valid[value=Ack[upTo=5, time=1, eventsUpTo=0]]
      {"v":1,"upTo":5,"t":1,"note":{"a":[1,{"b":null}]},"x":"y"} | Valid[value=Ack[upTo=5, time=1, eventsUpTo=0]]
      {"v":1,"upTo":5,"upTo":7,"t":1}                           | Valid[value=Ack[upTo=7, time=1, eventsUpTo=0]]
      {"v":1,"upTo":-1,"t":1}                                   | Invalid[code=schema, reason=upTo [-1] must be a whole number of at least 0.]
      {"v":1,"upTo":5.0,"t":1}                                  | Invalid[code=schema, reason=upTo [5.0] must be a whole number of at least 0.]
      {"v":1,"upTo":"5","t":1}                                  | Invalid[code=schema, reason=upTo ["5"] must be a whole number of at least 0.]
      {"v":1,"upTo":99999999999999999999,"t":1}                 | Invalid[code=schema, reason=upTo [99999999999999999999] must be a whole number of at least 0.]
      {"v":1,"upTo":5}                                          | Invalid[code=schema, reason=t [missing] must be a whole number of at least 0.]
      {"v":1,"upTo":5,"t":1,"events":-2}                        | Invalid[code=schema, reason=events [-2] must be a whole number of at least 0.]
      {"v":2,"upTo":5,"t":1}                                    | Invalid[code=version, reason=v [2] must be 1, the protocol version this software speaks.]
      {"upTo":5,"t":1}                                          | Invalid[code=version, reason=v [missing] must be 1, the protocol version this software speaks.]
      [1]                                                       | Invalid[code=malformed, reason=payload must be a JSON object.]
      {"v":1,"upTo":5,"t":1                                     | Invalid[code=malformed, reason=payload is not JSON
      """)
  void ack_decodesTheSameWhicheverParserReadsIt(String payload, String expected) {
    assertThat(WireCodec.decodeAck(payload.getBytes(StandardCharsets.UTF_8)).toString()).startsWith(expected);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
      [{"from":0,"to":2}]                 | gaps[0].from [0] must be a whole number of at least 1 | true
      [{"from":2}]                        | gaps[0].to [missing] must be                           | true
      [{"from":2,"to":1}]                 | gaps[0].to [1] must be at least gaps[0].from (2)       | false
      {"from":1,"to":2}                   | gaps [{"from":1,"to":2}] must be a list                | true
      [[1,2]]                             | gaps[0] must be a JSON object                          | true
      [{"from":1,"to":3}]                 | gaps[0] [1..3] must hold none of the batch's readings, found holds seq 3 | false
      [{"from":4,"to":8}]                 | gaps[0].to [8] must be below the last reading's seq (8) | false
      [{"from":9,"to":9}]                 | gaps[0].to [9] must be below the last reading's seq (8) | false
      [{"from":4,"to":5},{"from":6,"to":7}] | gaps[1].from [6] must be above the previous gap's end + 1 (6) | false
      [{"from":5,"to":6},{"from":4,"to":4}] | gaps[1].from [4] must be above                        | false
      [{"from":1,"to":1},{"from":4,"to":4},{"from":6,"to":6}] | gaps [3 items] must hold at most one gap per reading (2) | false
      """)
  void badGaps_areRejectedWithFieldAndValue(String gaps, String reason, boolean schemaToo) throws Exception {
    byte[] bytes = ("{\"v\":1,\"site\":\"s\",\"agent\":\"a\",\"gaps\":" + gaps + ",\"readings\":[" + R3 + "," + R8 + "]}")
        .getBytes(StandardCharsets.UTF_8);
    Decoded<ReadingBatch> decoded = decodeBatch(bytes);
    assertThat(decoded).isInstanceOf(Decoded.Invalid.class);
    assertThat(((Decoded.Invalid<ReadingBatch>) decoded).code()).isEqualTo("schema");
    assertThat(((Decoded.Invalid<ReadingBatch>) decoded).reason()).contains(reason);
    if (schemaToo) {
      assertThat(READINGS.validate(tree(bytes))).as("the schema agrees").isNotEmpty();
    }
  }

  @Test
  void statusWithOutboxHealth_roundTrips_andFollowsSchema() throws Exception {
    AgentStatus full = new AgentStatus(true, "0.2.0", 1_763_900_000_000L, 350_000,
        OptionalLong.of(1_761_300_000_000L), OptionalLong.of(1234));
    byte[] json = WireCodec.encode(full);

    assertThat(new String(json, StandardCharsets.UTF_8))
        .contains("\"oldestUnsent\":1761300000000", "\"dropped\":1234");
    assertThat(WireCodec.decodeStatus(json)).isEqualTo(new Decoded.Valid<>(full));
    assertThat(STATUS.validate(tree(json))).isEmpty();
  }

  @Test
  void statusOfAnOlderAgent_decodesWithoutOutboxHealth() {
    byte[] json = "{\"v\":1,\"state\":\"online\",\"version\":\"0.1.0\",\"startedAt\":5,\"outboxDepth\":12}"
        .getBytes(StandardCharsets.UTF_8);

    assertThat(WireCodec.decodeStatus(json)).isEqualTo(new Decoded.Valid<>(
        new AgentStatus(true, "0.1.0", 5, 12, OptionalLong.empty(), OptionalLong.empty())));
  }

  @Test
  void statusWithEmptyOutbox_leavesOldestUnsentOut() {
    AgentStatus empty = new AgentStatus(true, "0.2.0", 5, 0, OptionalLong.empty(), OptionalLong.of(0));

    assertThat(new String(WireCodec.encode(empty), StandardCharsets.UTF_8))
        .doesNotContain("oldestUnsent").contains("\"dropped\":0");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
      "oldestUnsent":-1     | oldestUnsent [-1] must be a whole number of at least 0
      "oldestUnsent":"yes"  | oldestUnsent ["yes"] must be a whole number
      "dropped":-5          | dropped [-5] must be a whole number of at least 0
      "dropped":1.5         | dropped [1.5] must be a whole number
      """)
  void badOutboxHealth_isRejectedWithFieldAndValue(String field, String reason) throws Exception {
    byte[] bytes = ("{\"v\":1,\"state\":\"online\",\"version\":\"0.1.0\",\"startedAt\":5," + field + "}")
        .getBytes(StandardCharsets.UTF_8);
    Decoded<AgentStatus> decoded = WireCodec.decodeStatus(bytes);

    assertThat(decoded).isInstanceOf(Decoded.Invalid.class);
    assertThat(((Decoded.Invalid<AgentStatus>) decoded).reason()).contains(reason);
    assertThat(STATUS.validate(tree(bytes))).as("the schema agrees").isNotEmpty();
  }

  @Test
  void unknownFields_areIgnoredForForwardCompatibility() throws Exception {
    String json = "{\"v\":1,\"site\":\"s\",\"agent\":\"a\",\"extra\":true,\"readings\":["
        + OK_READING.replace("}", ",\"probeNote\":\"new\"}") + "]}";
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    assertThat(decodeBatch(bytes)).isInstanceOf(Decoded.Valid.class);
    assertThat(READINGS.validate(tree(bytes))).isEmpty();
  }

  // ---- calibration and clock correction (issue 3) ----

  @Test
  void calibratedAndTimeCorrectedReadings_roundTrip_andFollowTheSchema() throws Exception {
    ReadingBatch batch = new ReadingBatch("casa-01", "agent-01", 41, List.of(
        new Reading(41, 1_763_900_000_000L, "rbc-fridge-1", "28-0316a2794aff", 4.005, Quality.OK, true,
            OptionalDouble.of(4.125), true),
        new Reading(42, 1_763_900_000_000L, "rbc-fridge-1", "28-0316a2794b00", 4.5, Quality.OK, false)));
    byte[] json = WireCodec.encode(batch);

    assertThat(new String(json, StandardCharsets.UTF_8))
        .contains("\"value\":4.005,\"raw\":4.125,\"quality\":\"ok\",\"timeCorrected\":true}")
        .contains("\"value\":4.5,\"quality\":\"ok\",\"synced\":false}");
    assertThat(decodeBatch(json)).isEqualTo(new Decoded.Valid<>(batch));
    assertThat(READINGS.validate(tree(json))).isEmpty();
  }

  @Test
  void readingWithoutRawOrTimeCorrected_isAnOlderAgentsAndStillValid() {
    Reading r = ((Decoded.Valid<ReadingBatch>) decodeBatch(
        ("{\"v\":1,\"site\":\"s\",\"agent\":\"a\",\"readings\":[" + OK_READING + "]}").getBytes(StandardCharsets.UTF_8)))
        .value().readings().get(0);

    assertThat(r.raw()).isEmpty();
    assertThat(r.timeCorrected()).isFalse();
    assertThat(r.clockSynced()).isTrue();
  }

  @Test
  void rawOfAFaultyReading_isIgnoredLikeItsValue() {
    String fault = "{\"seq\":1,\"t\":1,\"unit\":\"u\",\"sensor\":\"x\",\"raw\":4.1,\"quality\":\"crc_error\"}";
    Reading r = ((Decoded.Valid<ReadingBatch>) decodeBatch(
        ("{\"v\":1,\"site\":\"s\",\"agent\":\"a\",\"readings\":[" + fault + "]}").getBytes(StandardCharsets.UTF_8)))
        .value().readings().get(0);

    assertThat(r.raw()).isEmpty();
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
      "raw":"4.1"           | readings[0].raw ["4.1"] must be the probe's value in °C before calibration
      "raw":true            | readings[0].raw [true] must be
      "timeCorrected":"yes" | readings[0].timeCorrected ["yes"] must be true or false
      "timeCorrected":1     | readings[0].timeCorrected [1] must be true or false
      """)
  void badRawOrTimeCorrected_isRejectedWithFieldAndValue(String field, String reason) throws Exception {
    byte[] bytes = ("{\"v\":1,\"site\":\"s\",\"agent\":\"a\",\"readings\":[" + OK_READING.replace("}", "," + field + "}")
        + "]}").getBytes(StandardCharsets.UTF_8);
    Decoded<ReadingBatch> decoded = decodeBatch(bytes);

    assertThat(decoded).isInstanceOf(Decoded.Invalid.class);
    assertThat(((Decoded.Invalid<ReadingBatch>) decoded).reason()).contains(reason);
    assertThat(READINGS.validate(tree(bytes))).as("the schema agrees").isNotEmpty();
  }

  private static final AgentStatus WITH_PROBES = new AgentStatus(true, "0.3.0", 1_763_900_000_000L, 12,
      OptionalLong.of(1_763_899_940_000L), OptionalLong.of(0), List.of(
          new AgentStatus.Probe("rbc-fridge-1", "28-0316a2794aff", Optional.of(Quality.OK),
              OptionalLong.of(1_803_859_200_000L), Optional.of("LAB-2026-0142"), false),
          new AgentStatus.Probe("ffp-freezer-1", "28-0316a2794b00", Optional.of(Quality.DISCONNECTED),
              OptionalLong.of(1_740_787_200_000L), Optional.of("CAL 2024/17"), true),
          new AgentStatus.Probe("ult-freezer-1", "ult-1-pt100", Optional.empty(), OptionalLong.empty(),
              Optional.empty(), false)));

  @Test
  void statusWithProbes_roundTrips_andFollowsSchema() throws Exception {
    byte[] json = WireCodec.encode(WITH_PROBES);

    assertThat(new String(json, StandardCharsets.UTF_8)).contains(
        "{\"unit\":\"rbc-fridge-1\",\"sensor\":\"28-0316a2794aff\",\"quality\":\"ok\",\"calibrationDue\":1803859200000,"
            + "\"certificate\":\"LAB-2026-0142\"}",
        "\"certificate\":\"CAL 2024/17\",\"calibrationOverdue\":true}",
        "{\"unit\":\"ult-freezer-1\",\"sensor\":\"ult-1-pt100\"}");
    assertThat(WireCodec.decodeStatus(json)).isEqualTo(new Decoded.Valid<>(WITH_PROBES));
    assertThat(STATUS.validate(tree(json))).isEmpty();
  }

  @Test
  void statusOfAnAgentBeforeProbes_decodesWithNoProbes() {
    byte[] json = "{\"v\":1,\"state\":\"online\",\"version\":\"0.2.0\",\"startedAt\":5,\"outboxDepth\":0,\"dropped\":0}"
        .getBytes(StandardCharsets.UTF_8);

    assertThat(((Decoded.Valid<AgentStatus>) WireCodec.decodeStatus(json)).value().probes()).isEmpty();
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
      {"unit":"u"}                                                  | probes[0].sensor [missing] must be text              | true
      {"unit":"u/1","sensor":"s"}                                   | probes[0].unit [u/1] must be 1 to 64                 | true
      {"unit":"u","sensor":"s","quality":"warm"}                    | probes[0].quality [warm] must be one of ok           | true
      {"unit":"u","sensor":"s","calibrationDue":-1}                 | probes[0].calibrationDue [-1] must be a whole number of at least 0 | true
      {"unit":"u","sensor":"s","certificate":""}                    | probes[0].certificate [] must be 1 to 64 characters  | true
      {"unit":"u","sensor":"s","certificate":"A\\nB"}                | probes[0].certificate [A                             | true
      {"unit":"u","sensor":"s","certificate":"   "}                 | probes[0].certificate [   ] must be 1 to 64          | false
      {"unit":"u","sensor":"s","calibrationOverdue":"yes"}          | probes[0].calibrationOverdue ["yes"] must be true or false | true
      {"unit":"u","sensor":"s","calibrationOverdue":true}           | probes[0].calibrationOverdue [true] must come with calibrationDue | true
      7                                                             | probes[0] must be a JSON object                      | true
      """)
  void badProbes_areRejectedWithFieldAndValue(String probe, String reason, boolean schemaToo) throws Exception {
    byte[] bytes = ("{\"v\":1,\"state\":\"online\",\"version\":\"0.1.0\",\"startedAt\":5,\"probes\":[" + probe + "]}")
        .getBytes(StandardCharsets.UTF_8);
    Decoded<AgentStatus> decoded = WireCodec.decodeStatus(bytes);

    assertThat(decoded).isInstanceOf(Decoded.Invalid.class);
    assertThat(((Decoded.Invalid<AgentStatus>) decoded).reason()).contains(reason);
    if (schemaToo) {
      assertThat(STATUS.validate(tree(bytes))).as("the schema agrees").isNotEmpty();
    }
  }

  @Test
  void statusWithTooManyProbes_isRejected() throws Exception {
    String probe = "{\"unit\":\"u\",\"sensor\":\"s\"}";
    byte[] bytes = ("{\"v\":1,\"state\":\"online\",\"version\":\"0.1.0\",\"startedAt\":5,\"probes\":["
        + String.join(",", Collections.nCopies(AgentStatus.MAX_PROBES + 1, probe)) + "]}")
        .getBytes(StandardCharsets.UTF_8);

    assertThat(((Decoded.Invalid<AgentStatus>) WireCodec.decodeStatus(bytes)).reason())
        .isEqualTo("probes [257 items] must be a list of at most 256 probes.");
    assertThat(STATUS.validate(tree(bytes))).as("the schema agrees").isNotEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "null", "\u0000\u0001", "{\"v\":1}"})
  void garbage_neverThrows(String payload) {
    assertThat(decodeBatch(payload.getBytes(StandardCharsets.UTF_8))).isInstanceOf(Decoded.Invalid.class);
    assertThat(WireCodec.decodeAck(payload.getBytes(StandardCharsets.UTF_8))).isInstanceOf(Decoded.Invalid.class);
    assertThat(WireCodec.decodeStatus(payload.getBytes(StandardCharsets.UTF_8))).isInstanceOf(Decoded.Invalid.class);
  }

  /** An unknown field holding broken UTF-8 (an encoded surrogate) is not JSON, in an ack as in a batch. */
  @Test
  void ack_unknownFieldWithBrokenUtf8_isInvalid() {
    byte[] head = "{\"v\":1,\"upTo\":5,\"t\":1,\"x\":\"".getBytes(StandardCharsets.UTF_8);
    byte[] payload = new byte[head.length + 5];
    System.arraycopy(head, 0, payload, 0, head.length);
    payload[head.length] = (byte) 0xED;
    payload[head.length + 1] = (byte) 0xA0;
    payload[head.length + 2] = (byte) 0x80;
    payload[head.length + 3] = '"';
    payload[head.length + 4] = '}';

    assertThat(WireCodec.decodeAck(payload)).isInstanceOf(Decoded.Invalid.class);
  }

  // ---- events (issue 3: door, power, agitator, mute, local alarms) ----

  private static final EventBatch EVENTS_BATCH = new EventBatch("casa-01", "agent-01", List.of(
      new AgentEvent(7, 1_763_900_000_000L, "rbc-fridge-1", AgentEvent.Type.DOOR_OPEN, true, "", true),
      new AgentEvent(8, 1_763_900_030_000L, "rbc-fridge-1", AgentEvent.Type.LOCAL_ALARM, true, "HIGH_TEMPERATURE",
          true),
      new AgentEvent(9, 1_763_900_090_000L, "plt-incubator-1", AgentEvent.Type.AGITATOR_STOPPED, false, "", false)));

  @Test
  void events_roundTrip_andFollowTheSchema() throws Exception {
    byte[] json = WireCodec.encode(EVENTS_BATCH);
    assertThat(WireCodec.decodeEvents(json)).isEqualTo(new Decoded.Valid<>(EVENTS_BATCH));
    assertThat(EVENTS.validate(tree(json))).isEmpty();
  }

  @Test
  void ackWithEvents_roundTrips_andAnOldAckMeansNoEvents() throws Exception {
    Ack ack = new Ack(1234, 1_763_900_000_000L, 9);
    assertThat(WireCodec.decodeAck(WireCodec.encode(ack))).isEqualTo(new Decoded.Valid<>(ack));
    assertThat(ACK.validate(tree(WireCodec.encode(ack)))).isEmpty();
    assertThat(WireCodec.decodeAck("{\"v\":1,\"upTo\":5,\"t\":1}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new Decoded.Valid<>(new Ack(5, 1, 0)));
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
      "events":[]                                                                     | events [0 items] must hold 1 to 1000 events
      "events":[{"seq":1,"t":1,"unit":"u","type":"fire","active":true}]               | events[0].type [fire] must be one of door_open
      "events":[{"seq":1,"t":1,"unit":"u","type":"door_open"}]                        | events[0].active [missing] must be true or false
      "events":[{"seq":1,"t":1,"unit":"u","type":"local_alarm","active":true}]        | events[0].detail [] must be at most 64 characters, and name the alarm kind
      "events":[{"seq":2,"t":1,"unit":"u","type":"door_open","active":true},{"seq":2,"t":1,"unit":"u","type":"door_open","active":false}] | events[1].seq [2] must be greater than the one before (2)
      "events":[{"seq":1,"t":-1,"unit":"u","type":"door_open","active":true}]        | events[0].t [-1] must be a whole number of at least 0
      "events":[{"seq":1,"t":1,"unit":"u/1","type":"door_open","active":true}]       | events[0].unit [u/1] must be 1 to 64
      """)
  void badEvents_areRejectedWithFieldAndValue(String events, String reason) throws Exception {
    byte[] bytes = ("{\"v\":1,\"site\":\"s\",\"agent\":\"a\"," + events + "}").getBytes(StandardCharsets.UTF_8);
    Decoded<EventBatch> decoded = WireCodec.decodeEvents(bytes);

    assertThat(decoded).isInstanceOf(Decoded.Invalid.class);
    assertThat(((Decoded.Invalid<EventBatch>) decoded).reason()).contains(reason);
  }
}
