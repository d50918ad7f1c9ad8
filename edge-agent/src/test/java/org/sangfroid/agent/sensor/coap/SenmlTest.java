package org.sangfroid.agent.sensor.coap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sangfroid.core.wire.Quality;

/** Issue 3: SenML JSON (RFC 8428) as IPSO 3303 nodes send it, one pack per row. */
class SenmlTest {
  private static final Instant NOW = Instant.parse("2026-01-15T08:00:00Z");

  private static Senml.Result parse(String payload) {
    return Senml.parse(payload.getBytes(StandardCharsets.UTF_8), NOW);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      # pack                                                                                      | °C     | measured (empty: no time)
      [{"v":4.25}]                                                                                 | 4.25   |
      [{"n":"/3303/0/5700","v":4.25,"u":"Cel"}]                                                    | 4.25   |
      [{"bn":"/3303/0/5700","bt":1768464000,"bu":"Cel","v":-29.5}]                                 | -29.5  | 2026-01-15T08:00:00Z
      [{"bn":"/3303/0/","bt":1768463940.5,"n":"5601","v":-1},{"n":"5602","v":9},{"n":"5700","v":4.5},{"n":"5701","vs":"Cel"}] | 4.5 | 2026-01-15T07:59:00.500Z
      [{"v":4.25,"t":-30}]                                                                         | 4.25   | 2026-01-15T07:59:30Z
      [{"v":4.25,"t":0}]                                                                           | 4.25   |
      [{"bv":4,"v":0.25}]                                                                          | 4.25   |
      [{"bn":"urn:dev:ow:10e2073a01080063","bt":1768463880,"bu":"Cel","v":4.0},{"t":60,"v":4.5}]   | 4.5    | 2026-01-15T07:59:00Z
      [{"t":-60,"v":4.5},{"t":-120,"v":4.0}]                                                       | 4.5    | 2026-01-15T07:59:00Z
      [{"v":4.0},{"v":4.5}]                                                                        | 4.5    |
      [{"bu":"K","n":"5700","u":"Cel","v":4}]                                                      | 4.0    |
      [{"bn":"/3303/0/","n":"5700","v":4.5},{"n":"5605","vb":true}]                                | 4.5    |
      [{"bver":10,"v":125}]                                                                        | 125.0  |
      [{"v":-200}]                                                                                 | -200.0 |
      """)
  void parse_validPack_givesTheTemperature(String pack, double celsius, Instant measured) {
    assertThat(parse(pack)).isEqualTo(new Senml.Value(celsius, Optional.ofNullable(measured)));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      # payload                                           | quality      | problem
      ``                                                  | CRC_ERROR    | payload [] must be a SenML pack: a JSON array of records.
      {"v":4}                                             | CRC_ERROR    | payload [{"v":4}] must be a SenML pack: a JSON array of records.
      []                                                  | CRC_ERROR    | payload [[]] must be a SenML pack: a JSON array of records.
      [4]                                                 | CRC_ERROR    | records[0] [4] must be a JSON object.
      [{"v":"4.2"}]                                       | CRC_ERROR    | records[0].v ["4.2"] must be a number.
      [{"v":4,"t":"now"}]                                 | CRC_ERROR    | records[0].t ["now"] must be a number.
      [{"bn":5,"v":4}]                                    | CRC_ERROR    | records[0].bn [5] must be a string.
      [{"v":4,"u":"K"}]                                   | CRC_ERROR    | records[0].u [K] must be Cel (degrees Celsius).
      [{"bu":"Far"},{"v":4}]                              | CRC_ERROR    | records[0].bu [Far] must be Cel (degrees Celsius).
      [{"n":"5700","v":4},{"n":"5701","vs":"Far"}]        | CRC_ERROR    | records[1].vs [Far] must be Cel (degrees Celsius) for the sensor units 5701.
      [{"n":"a","v":4},{"n":"b","v":5}]                   | CRC_ERROR    | payload [a, b] must name its temperature 5700 or …/5700 when it holds values of several names.
      [{"vs":"hello"}]                                    | CRC_ERROR    | payload [1 record(s)] must hold a numeric value (v).
      [{"v":4,"x_":1}]                                    | CRC_ERROR    | records[0].x_ [1] must not be there, found a must-understand field this agent does not know.
      [{"v":1e400}]                                       | CRC_ERROR    | records[0].v [Infinity] must be a finite number.
      [{"v":-273.5}]                                      | OUT_OF_RANGE | records[0].v [-273.5] must be from -200 to 125 °C (what a temperature probe can measure).
      [{"v":125.5}]                                       | OUT_OF_RANGE | records[0].v [125.5] must be from -200 to 125 °C (what a temperature probe can measure).
      [{"bv":100,"v":30}]                                 | OUT_OF_RANGE | records[0].v [130.0] must be from -200 to 125 °C (what a temperature probe can measure).
      """)
  void parse_badPack_rejectedWithFieldAndValue(String payload, Quality quality, String problem) {
    assertThat(parse(payload)).isEqualTo(new Senml.Rejected(quality, problem));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      temperature=4.5     | payload [temperature=4.5] must be SenML JSON, found Unrecognized token 'temperature'
      [{"v":NaN}]         | payload [[{"v":NaN}]] must be SenML JSON, found Non-standard token 'NaN'
      [{"v":4,"v":5}]     | payload [[{"v":4,"v":5}]] must be SenML JSON, found Duplicate field 'v'
      [{"v":4}            | payload [[{"v":4}] must be SenML JSON, found Unexpected end-of-input
      """)
  void parse_notJson_rejectedAsCrcErrorQuotingThePayload(String payload, String problem) {
    Senml.Result r = parse(payload);

    assertThat(r).isInstanceOfSatisfying(Senml.Rejected.class, rejected -> {
      assertThat(rejected.quality()).isEqualTo(Quality.CRC_ERROR);
      assertThat(rejected.problem()).startsWith(problem);
    });
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      0              | 2026-01-15T08:00:00Z
      -90.25         | 2026-01-15T07:58:29.750Z
      268435455      | 2034-07-19T05:24:15Z
      268435456      | 1978-07-04T21:24:16Z
      1768464000     | 2026-01-15T08:00:00Z
      """)
  void instant_belowTwoPower28IsRelative_aboveIsSince1970(double seconds, Instant expected) {
    assertThat(Senml.instant(seconds, NOW)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      `  [{"v":4}]  `                                                           | [{"v":4}]
      `[{"n":"a-very-long-name-that-goes-on-and-on","v":4.25,"u":"Cel","t":0}]` | [{"n":"a-very-long-name-that-goes-on-and-on","v":4.25,"u":"C…
      """)
  void excerpt_longOrPaddedPayload_stripsAndCutsAt60(String payload, String expected) {
    assertThat(Senml.excerpt(payload.getBytes(StandardCharsets.UTF_8))).isEqualTo(expected);
  }
}
