package org.sangfroid.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sangfroid.agent.config.AgentConfig.Broker;
import org.sangfroid.agent.config.AgentConfig.Coap;
import org.sangfroid.agent.config.AgentConfig.Ds18b20;
import org.sangfroid.agent.config.AgentConfig.Max31865;
import org.sangfroid.agent.config.AgentConfig.OneWire;
import org.sangfroid.agent.config.AgentConfig.Publish;
import org.sangfroid.agent.config.AgentConfig.Sensor;
import org.sangfroid.agent.config.AgentConfig.SensorType;
import org.sangfroid.agent.config.AgentConfig.Sht;
import org.sangfroid.agent.config.AgentConfig.Unit;
import org.sangfroid.agent.sensor.bus.I2cDevice;
import org.sangfroid.agent.sensor.bus.SpiDevice;
import org.sangfroid.agent.sensor.coap.CoapNode;
import org.sangfroid.agent.sensor.coap.Psk;
import org.sangfroid.agent.sensor.max31865.Max31865Sensor;
import org.sangfroid.agent.sensor.rtd.CallendarVanDusen;
import org.sangfroid.agent.sensor.sht.ShtSensor;
import org.sangfroid.core.config.ConfigException;
import org.sangfroid.core.config.ConfigNode;

class AgentConfigTest {
  @TempDir Path dir;

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  private static List<String> problems(Path file) {
    try {
      AgentConfig.load(file);
    } catch (ConfigException e) {
      return e.problems();
    }
    throw new AssertionError("expected problems in " + file);
  }

  @Test
  void load_fullFile_readsEveryKey() throws Exception {
    Path secret = write("agent.secret", "s3cret\n");
    // Readable by the service only (issue 3): every user of the device must not read it.
    Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
    Path file = write("agent.yaml", """
        site: casa-01
        agent: agent-01
        tick: 30s
        dataDir: /var/lib/sangfroid/agent
        broker:
          url: ssl://gateway.example.org:8883
          username: agent-01
          passwordFile: %s
        publish:
          batchSize: 200
          ackTimeout: 2m
        onewire:
          path: /tmp/w1
        units:
          - id: rbc-fridge-1
            profile: RBC_STORE_EU
            sensors:
              - id: 28-0316a2794aff
                type: ds18b20
              - id: 28-0316a2794b00
                type: ds18b20
          - id: ffp-freezer-1
            profile: FFP_CRYO_EU
            sensors:
              - id: 28-00000b0c1d2e
                type: ds18b20
        """.formatted(secret));

    AgentConfig c = AgentConfig.load(file);

    assertThat(c).isEqualTo(new AgentConfig("casa-01", "agent-01", Duration.ofSeconds(30),
        Path.of("/var/lib/sangfroid/agent"),
        new Broker("ssl://gateway.example.org:8883", Optional.of("agent-01"), Optional.of(secret)),
        new Publish(200, Duration.ofMinutes(2)),
        new OneWire(Path.of("/tmp/w1")),
        List.of(
            new Unit("rbc-fridge-1", "RBC_STORE_EU", List.of(
                new Sensor("28-0316a2794aff", new Ds18b20()),
                new Sensor("28-0316a2794b00", new Ds18b20()))),
            new Unit("ffp-freezer-1", "FFP_CRYO_EU", List.of(
                new Sensor("28-00000b0c1d2e", new Ds18b20()))))));
    assertThat(c.outboxFile()).isEqualTo(Path.of("/var/lib/sangfroid/agent/outbox.db"));
    assertThat(c.sensorCount()).isEqualTo(3);
  }

  @Test
  void load_minimalFile_appliesDefaults() throws Exception {
    Path file = write("agent.yaml", """
        site: casa-01
        agent: agent-01
        dataDir: data
        broker:
          url: tcp://127.0.0.1:1883
        units:
          - id: plt-incubator-1
            profile: PLT_STORE
            sensors:
              - id: 28-0316a2794aff
                type: ds18b20
        """);

    AgentConfig c = AgentConfig.load(file);

    assertThat(c.tick()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.publish()).isEqualTo(new Publish(500, Duration.ofSeconds(30)));
    assertThat(c.onewire().path()).isEqualTo(Path.of("/sys/bus/w1/devices"));
    assertThat(c.broker()).isEqualTo(new Broker("tcp://127.0.0.1:1883", Optional.empty(), Optional.empty()));
    assertThat(c.outbox().maxReadings()).isEqualTo(350_000);
  }

  /** Issue 3: the outbox bound, in readings. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      1000      | true
      350000    | true
      50000000  | true
      999       | false
      50000001  | false
      lots      | false
      """)
  void load_outboxMaxReadings_acceptedFrom1000To50Million(String value, boolean valid) throws Exception {
    Path file = write("agent.yaml", """
        site: casa-01
        agent: agent-01
        dataDir: data
        broker:
          url: tcp://127.0.0.1:1883
        outbox:
          maxReadings: %s
        units:
          - id: u1
            profile: PLT_STORE
            sensors:
              - id: 28-0316a2794aff
                type: ds18b20
        """.formatted(value));

    if (valid) {
      assertThat(AgentConfig.load(file).outbox().maxReadings()).isEqualTo(Long.parseLong(value));
    } else {
      assertThat(problems(file)).containsExactly(file + ":7: outbox.maxReadings [" + value
          + "] must be a whole number from 1000 to 50000000.");
    }
  }

  @Test
  void load_fileWithManyErrors_reportsEachWithFileAndLine() throws Exception {
    Path file = write("bad.yaml", """
        site: gateway
        agent: agent 01
        tick: 500ms
        dataDir: /var/lib/sangfroid/agent
        broker:
          url: http://gw:1883
          passwordFile: /nonexistent/agent.secret
        publish:
          batchSize: 5000
          ackTimout: 30s
        untis: []
        units:
          - id: rbc-fridge-1
            profile: RBC_STORE
            sensors:
              - id: 28-0316a2794aff
                type: ds18b20
          - id: rbc-fridge-1
            profile: PLT_STORE
            sensors:
              - id: 28-0316a2794aff
                type: ds18b20
              - id: 28-XYZ
                type: ds18b20
              - id: pt-1
                type: pt100
          - id: empty-box
            profile: PLT_STORE
            sensors: []
        """);

    assertThat(problems(file)).containsExactly(Stream.of(
        "FILE:1: site [gateway] must not be alarms or gateway (reserved for the gateway's topics).",
        "FILE:2: agent [agent 01] must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.",
        "FILE:3: tick [500ms] must be a duration from 1s to 1h such as 30s, 5m or 2h.",
        "FILE:6: broker.url [http://gw:1883] must be tcp://HOST:PORT or ssl://HOST:PORT, such as tcp://127.0.0.1:1883.",
        "FILE:7: broker.passwordFile [/nonexistent/agent.secret] must come with broker.username (MQTT sends no"
            + " password without a user name).",
        "FILE:7: broker.passwordFile [/nonexistent/agent.secret] must be a readable file holding the broker password.",
        "FILE:9: publish.batchSize [5000] must be a whole number from 1 to 2000.",
        "FILE:10: publish.ackTimout is not a known setting (known here: ackTimeout, batchSize)",
        "FILE:11: untis is not a known setting (known here: agent, broker, clock, dataDir, localAlarm, metrics, onewire, outbox, publish, site, tick, units)",
        "FILE:14: units[0].profile [RBC_STORE] must be one of FFP_CRYO_EU, FFP_US, PLASMA_FRACT_PHEUR, PLASMA_FRACT_US_CA, PLT_STORE, RBC_STORE_EU, RBC_STORE_US, RBC_TRANSPORT, THAWED_PLASMA, ULT_RBC, VACCINE_2_8_REF.",
        "FILE:18: units[1].id [rbc-fridge-1] must be unique, found also on line 13.",
        "FILE:21: units[1].sensors[0].id [28-0316a2794aff] must be unique, found also on line 16.",
        "FILE:23: units[1].sensors[1].id [28-XYZ] must be a DS18B20 ROM id: '28-' then 12 lowercase hex digits,"
            + " such as 28-0316a2794aff.",
        "FILE:26: units[1].sensors[2].type [pt100] must be one of coap, ds18b20, max31865, sht3x, sht4x.",
        "FILE:29: units[2].sensors must list at least one sensor")
        .map(line -> line.replace("FILE", file.toString()))
        .toArray(String[]::new));
  }

  @Test
  void load_noUnits_saysSo() throws Exception {
    Path file = write("agent.yaml", """
        site: casa-01
        agent: agent-01
        dataDir: data
        broker:
          url: tcp://127.0.0.1:1883
        units: []
        """);

    assertThat(problems(file)).containsExactly(file + ":6: units must list at least one unit");
  }

  @Test
  void load_emptyMapping_listsEveryMissingKey() throws Exception {
    Path file = write("agent.yaml", "onewire: {}\n");

    assertThat(problems(file)).containsExactly(
        file + ":1: site is missing",
        file + ":1: agent is missing",
        file + ":1: dataDir is missing",
        file + ":1: broker is missing",
        file + ":1: units is missing");
  }

  @Test
  void load_yamlSyntaxError_givesItsLine() throws Exception {
    Path file = write("agent.yaml", "site: casa-01\nagent: [agent-01\n");

    assertThat(problems(file)).singleElement().asString().startsWith(file + ":3: is not valid YAML");
  }

  @Test
  void load_missingFile_saysItCannotBeRead() {
    Path file = dir.resolve("nope.yaml");

    assertThatThrownBy(() -> AgentConfig.load(file))
        .isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).problems(), InstanceOfAssertFactories.LIST)
        .singleElement().asString().startsWith(file + ": cannot be read");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      tcp://127.0.0.1:1883      | true
      ssl://gw.example.org:8883 | true
      tcp://gw                  | true
      TCP://gw:1883             | true
      http://gw:1883            | false
      gw:1883                   | false
      tcp://:1883               | false
      tcp://gw:1883/path        | false
      tcp://user@gw:1883        | false
      ws://gw:8000              | false
      """)
  void load_brokerUrl_acceptedOnlyForTcpOrSsl(String url, boolean valid) throws Exception {
    Path file = write("agent.yaml", """
        site: casa-01
        agent: agent-01
        dataDir: data
        broker:
          url: %s
        units:
          - id: u1
            profile: PLT_STORE
            sensors:
              - id: 28-0316a2794aff
                type: ds18b20
        """.formatted(url));

    if (valid) {
      assertThat(AgentConfig.load(file).broker().url()).isEqualTo(url);
    } else {
      assertThat(problems(file)).containsExactly(file + ":5: broker.url [" + url
          + "] must be tcp://HOST:PORT or ssl://HOST:PORT, such as tcp://127.0.0.1:1883.");
    }
  }

  private static final String HEAD = """
      site: casa-01
      agent: agent-01
      dataDir: data
      broker:
        url: tcp://127.0.0.1:1883
      units:
        - id: ult-freezer-1
          profile: FFP_CRYO_EU
          sensors:
      """;

  @Test
  void load_spiAndI2cSensors_readsEveryKey() throws Exception {
    Path file = write("agent.yaml", HEAD + """
              - id: ult-1-pt100
                type: max31865
                spi:
                  bus: 1
                  chipSelect: 2
                wires: 4
                r0: 100
                rRef: 400
                mainsHz: 60
              - id: ult-1-pt1000
                type: max31865
                spi:
                  chipSelect: 1
                r0: 1000
              - id: room-sht3x
                type: sht3x
                address: 0x45
              - id: room-sht4x
                type: sht4x
                i2c:
                  bus: 3
                address: 0X46
        """);

    AgentConfig c = AgentConfig.load(file);

    assertThat(c.units().get(0).sensors()).containsExactly(
        new Sensor("ult-1-pt100", new Max31865(new SpiDevice(1, 2),
            new Max31865Sensor.Settings(4, CallendarVanDusen.PT100, 400, 60))),
        new Sensor("ult-1-pt1000", new Max31865(new SpiDevice(0, 1),
            new Max31865Sensor.Settings(3, CallendarVanDusen.PT1000, 4300, 50))),
        new Sensor("room-sht3x", new Sht(ShtSensor.Model.SHT3X, new I2cDevice(1, 0x45))),
        new Sensor("room-sht4x", new Sht(ShtSensor.Model.SHT4X, new I2cDevice(3, 0x46))));
    assertThat(c.units().get(0).sensors()).extracting(Sensor::type)
        .containsExactly(SensorType.MAX31865, SensorType.MAX31865, SensorType.SHT3X, SensorType.SHT4X);
    assertThat(c.needsPi4j()).isTrue();
  }

  @Test
  void load_max31865AndShtWithOnlyTheirType_takeTheDefaults() throws Exception {
    Path file = write("agent.yaml", HEAD + """
              - id: pt
                type: max31865
              - id: sht
                type: sht4x
        """);

    assertThat(AgentConfig.load(file).units().get(0).sensors()).containsExactly(
        new Sensor("pt", new Max31865(new SpiDevice(0, 0),
            new Max31865Sensor.Settings(3, CallendarVanDusen.PT100, 430, 50))),
        new Sensor("sht", new Sht(ShtSensor.Model.SHT4X, new I2cDevice(1, 0x44))));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"0x44, 68", "0x45, 69", "68, 68", "0X45, 69"})
  void load_shtAddressInHexOrDecimal_isRead(String text, int address) throws Exception {
    Path file = write("agent.yaml", HEAD + """
              - id: sht
                type: sht3x
                address: %s
        """.formatted(text));

    assertThat(AgentConfig.load(file).units().get(0).sensors().get(0).driver())
        .isEqualTo(new Sht(ShtSensor.Model.SHT3X, new I2cDevice(1, address)));
  }

  @Test
  void load_ds18b20Only_needsNoPi4j() throws Exception {
    Path file = write("agent.yaml", HEAD + """
              - id: 28-0316a2794aff
                type: ds18b20
        """);

    assertThat(AgentConfig.load(file).needsPi4j()).isFalse();
  }

  @Test
  void load_badSpiAndI2cKeys_reportsEachWithFileAndLine() throws Exception {
    Path file = write("bad.yaml", HEAD + """
              - id: pt 1
                type: max31865
                spi:
                  bus: 7
                  chipSelect: 3
                  cs: 0
                wires: 5
                r0: 500
                mainsHz: 55
              - id: pt-2
                type: max31865
                rRef: 43
                address: 0x44
              - id: pt-3
                type: max31865
                r0: 1000
                rRef: abc
              - id: sht-1
                type: sht3x
                address: 0x46
                wires: 3
              - id: sht-2
                type: sht4x
                i2c:
                  bus: 100
                address: 0x47
              - id: sht-3
                type: sht4x
                address: forty-four
              - id: 28-0316a2794aff
                type: ds18b20
                address: 0x44
              - id: 28-0316a2794b00
                type: pt100
                wires: 3
        """);

    assertThat(problems(file)).containsExactly(Stream.of(
        "FILE:10: units[0].sensors[0].id [pt 1] must be 1 to 64 letters, digits, '.', '_' or '-', starting with a"
            + " letter or digit.",
        "FILE:13: units[0].sensors[0].spi.bus [7] must be a whole number from 0 to 6.",
        "FILE:14: units[0].sensors[0].spi.chipSelect [3] must be a whole number from 0 to 2.",
        "FILE:15: units[0].sensors[0].spi.cs is not a known setting (known here: bus, chipSelect)",
        "FILE:16: units[0].sensors[0].wires [5] must be a whole number from 2 to 4.",
        "FILE:17: units[0].sensors[0].r0 [500] must be 100 (PT100) or 1000 (PT1000).",
        "FILE:18: units[0].sensors[0].mainsHz [55] must be 50 or 60.",
        "FILE:21: units[0].sensors[1].rRef [43] must be from 200 to 1000 ohms for a PT100 (2 to 10 × r0; boards"
            + " use 430).",
        "FILE:22: units[0].sensors[1].address is not a known setting (known here: calibration, id, mainsHz, r0,"
            + " rRef, spi, type, wires)",
        "FILE:26: units[0].sensors[2].rRef [abc] must be a number such as 4.5 or -25.",
        "FILE:29: units[0].sensors[3].address [0x46] must be 0x44 or 0x45 for an SHT3x (its ADDR pin low or high).",
        "FILE:30: units[0].sensors[3].wires is not a known setting (known here: address, calibration, i2c, id, type)",
        "FILE:34: units[0].sensors[4].i2c.bus [100] must be a whole number from 0 to 99.",
        "FILE:35: units[0].sensors[4].address [0x47] must be 0x44, 0x45 or 0x46 for an SHT4x (fixed by the part"
            + " number).",
        "FILE:38: units[0].sensors[5].address [forty-four] must be 0x44, 0x45 or 0x46 for an SHT4x (fixed by the"
            + " part number).",
        "FILE:41: units[0].sensors[6].address is not a known setting (known here: calibration, id, type)",
        "FILE:43: units[0].sensors[7].type [pt100] must be one of coap, ds18b20, max31865, sht3x, sht4x.")
        .map(line -> line.replace("FILE", file.toString()))
        .toArray(String[]::new));
  }

  @Test
  void load_twoProbesOnOneChipSelectOrAddress_reportsTheSecondWithTheFirstLine() throws Exception {
    Path file = write("agent.yaml", HEAD + """
              - id: pt-1
                type: max31865
              - id: pt-2
                type: max31865
                spi:
                  bus: 0
                  chipSelect: 0
              - id: pt-3
                type: max31865
                spi:
                  chipSelect: 1
              - id: sht-1
                type: sht4x
                address: 0x44
              - id: sht-2
                type: sht3x
              - id: sht-3
                type: sht3x
                i2c:
                  bus: 0
        """);

    assertThat(problems(file)).containsExactly(
        file + ":15: units[0].sensors[1].spi [bus 0, chipSelect 0] must be used by one probe only, found also on"
            + " line 10.",
        file + ":24: units[0].sensors[4].address [bus 1, 0x44] must be used by one probe only, found also on line 23.");
  }

  private Path keyFile(String name, String content) throws Exception {
    return write(name, content);
  }

  /** Issue 3 (Sensors): wireless nodes over CoAP. */
  @Test
  void load_coapSensors_readsEveryKey() throws Exception {
    Path key = keyFile("node-2.psk", "000102030405060708090a0b0c0d0e0f\n");
    Path file = write("agent.yaml", HEAD.replace("dataDir: data", "tick: 30s\ndataDir: data") + """
              - id: node-1
                type: coap
                uri: coap://192.0.2.10/3303/0/5700
              - id: node-2
                type: coap
                uri: coaps://node-2.lab.example:5684/3303/0?pmax=60
                silentAfter: 5m
                psk:
                  identity: node-2
                  keyFile: %s
        """.formatted(key));

    AgentConfig c = AgentConfig.load(file);

    assertThat(c.units().get(0).sensors()).containsExactly(
        new Sensor("node-1", new Coap(new CoapNode(URI.create("coap://192.0.2.10/3303/0/5700"),
            Duration.ofSeconds(90), Optional.empty()))),
        new Sensor("node-2", new Coap(new CoapNode(URI.create("coaps://node-2.lab.example:5684/3303/0?pmax=60"),
            Duration.ofMinutes(5), Optional.of(new Psk("node-2", key))))));
    assertThat(c.units().get(0).sensors()).extracting(Sensor::type).containsOnly(SensorType.COAP);
    assertThat(c.needsPi4j()).isFalse();
  }

  @ParameterizedTest(name = "tick {0}")
  @CsvSource({"1s, 3s", "60s, 3m", "10m, 30m", "30m, 1h"})
  void load_coapWithoutSilentAfter_threeTicksAtMostAnHour(String tick, String silentAfter) throws Exception {
    Path file = write("agent.yaml", HEAD.replace("dataDir: data", "tick: " + tick + "\ndataDir: data") + """
              - id: node-1
                type: coap
                uri: coap://192.0.2.10/3303/0/5700
        """);

    Coap coap = (Coap) AgentConfig.load(file).units().get(0).sensors().get(0).driver();

    assertThat(coap.node().silentAfter()).isEqualTo(ConfigNode.parseDuration(silentAfter));
  }

  @Test
  void load_badCoapKeys_reportsEachWithFileAndLine() throws Exception {
    Path shortKey = keyFile("short.psk", "0001020304\n");
    Path notHex = keyFile("secret.psk", "sesame-open-sesame-open-sesame-42\n");
    Path good = keyFile("good.psk", "000102030405060708090a0b0c0d0e0f");
    Path file = write("bad.yaml", HEAD + """
              - id: node-1
                type: coap
                uri: http://192.0.2.10/3303/0/5700
              - id: node-2
                type: coap
              - id: node-3
                type: coap
                uri: coaps://192.0.2.13/3303/0/5700
              - id: node-4
                type: coap
                uri: coap://192.0.2.14/3303/0/5700
                psk:
                  identity: node-4
                  keyFile: %s
              - id: node-5
                type: coaps
                uri: coaps://192.0.2.15/3303/0/5700
              - id: node-6
                type: coap
                uri: coaps://192.0.2.16/3303/0/5700
                silentAfter: 1s
                psk:
                  identity: node 6
                  keyFile: %s
                  key: 00
              - id: node-7
                type: coap
                uri: coaps://192.0.2.17/3303/0/5700
                psk:
                  identity: node-7
                  keyFile: %s
              - id: node-8
                type: coap
                uri: coaps://192.0.2.18/3303/0/5700
                psk:
                  keyFile: %s
              - id: node-9
                type: coap
                uri: coap://192.0.2.10/3303/0/5700
                address: 0x44
              - id: node-10
                type: coap
                uri: coap://192.0.2.10/3303/0/5700
              - id: node-11
                type: coap
                uri: coap://192.0.2.11
              - id: node-12
                type: coap
                uri: coap://[::1
        """.formatted(good, shortKey, notHex, dir.resolve("missing.psk")));

    assertThat(problems(file)).containsExactly(Stream.of(
        "FILE:12: units[0].sensors[0].uri [http://192.0.2.10/3303/0/5700] must be coap://HOST/PATH or"
            + " coaps://HOST/PATH, such as coap://192.0.2.10/3303/0/5700.",
        "FILE:13: units[0].sensors[1].uri is missing",
        "FILE:17: units[0].sensors[2].psk is missing: a coaps:// node needs its pre-shared key (identity and"
            + " keyFile)",
        "FILE:22: units[0].sensors[3].psk is only for coaps:// nodes (DTLS); this uri is coap://",
        "FILE:25: units[0].sensors[4].type [coaps] must be one of coap, ds18b20, max31865, sht3x, sht4x.",
        "FILE:30: units[0].sensors[5].silentAfter [1s] must be a duration from 2s to 1h such as 30s, 5m or 2h.",
        "FILE:32: units[0].sensors[5].psk.identity [node 6] must be 1 to 128 printable ASCII characters, as set"
            + " in the node.",
        "FILE:33: units[0].sensors[5].psk.keyFile [" + shortKey + "] must hold the key as 32 to 128 hexadecimal"
            + " digits (16 to 64 bytes), found 10 digits.",
        "FILE:34: units[0].sensors[5].psk.key is not a known setting (known here: identity, keyFile)",
        "FILE:40: units[0].sensors[6].psk.keyFile [" + notHex + "] must hold the key as 32 to 128 hexadecimal"
            + " digits (16 to 64 bytes), found other characters.",
        "FILE:45: units[0].sensors[7].psk.identity is missing",
        "FILE:45: units[0].sensors[7].psk.keyFile [" + dir.resolve("missing.psk") + "] must be a file the agent"
            + " can read, holding the pre-shared key, found no such file.",
        "FILE:49: units[0].sensors[8].address is not a known setting (known here: calibration, id, psk,"
            + " silentAfter, type, uri)",
        "FILE:52: units[0].sensors[9].uri [coap://192.0.2.10/3303/0/5700] must be used by one probe only, found"
            + " also on line 48.",
        "FILE:55: units[0].sensors[10].uri [coap://192.0.2.11] must be coap://HOST/PATH or coaps://HOST/PATH,"
            + " such as coap://192.0.2.10/3303/0/5700.",
        "FILE:58: units[0].sensors[11].uri [coap://[::1] must be coap://HOST/PATH or coaps://HOST/PATH,"
            + " such as coap://192.0.2.10/3303/0/5700.")
        .map(line -> line.replace("FILE", file.toString()))
        .toArray(String[]::new));
  }

  private Path withLocalAlarm(String section) throws Exception {
    return write("agent.yaml", """
        site: casa-01
        agent: agent-01
        dataDir: data
        broker:
          url: tcp://127.0.0.1:1883
        units:
          - id: u1
            profile: PLT_STORE
            sensors:
              - id: 28-0316a2794aff
                type: ds18b20
        localAlarm:
        %s""".formatted(section.indent(2)));
  }

  @Test
  void load_noLocalAlarmSection_consoleOnlyWithoutGpio() throws Exception {
    Path file = write("agent.yaml", """
        site: casa-01
        agent: agent-01
        dataDir: data
        broker:
          url: tcp://127.0.0.1:1883
        units:
          - id: u1
            profile: PLT_STORE
            sensors:
              - id: 28-0316a2794aff
                type: ds18b20
        """);

    AgentConfig.LocalAlarm alarm = AgentConfig.load(file).localAlarm();

    assertThat(alarm).isEqualTo(AgentConfig.LocalAlarm.none());
    assertThat(alarm.usesGpio()).isFalse();
    assertThat(alarm.mute()).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void load_localAlarmSection_readsPinsAndMute() throws Exception {
    Path file = withLocalAlarm("""
        buzzerPin: 17
        ledPin: 27
        mutePin: 22
        mute: 15m
        """);

    assertThat(AgentConfig.load(file).localAlarm()).isEqualTo(new AgentConfig.LocalAlarm(
        OptionalInt.of(17), OptionalInt.of(27), OptionalInt.of(22),
        Duration.ofMinutes(15)));
  }

  @Test
  void load_localAlarmLedOnly_defaultMute() throws Exception {
    AgentConfig.LocalAlarm alarm = AgentConfig.load(withLocalAlarm("ledPin: 27\n")).localAlarm();

    assertThat(alarm.ledPin()).hasValue(27);
    assertThat(alarm.buzzerPin()).isEmpty();
    assertThat(alarm.mute()).isEqualTo(Duration.ofMinutes(30));
    assertThat(alarm.usesGpio()).isTrue();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      buzzerPin: 28                 | 13: localAlarm.buzzerPin [28] must be a whole number from 0 to 27.
      buzzerPin: -1                 | 13: localAlarm.buzzerPin [-1] must be a whole number from 0 to 27.
      buzzerPin: x                  | 13: localAlarm.buzzerPin [x] must be a whole number from 0 to 27.
      mutePin: 22                   | 13: localAlarm must set buzzerPin or ledPin (or leave the section out for console alarms only).
      buzzerPin: 17\\nledPin: 17     | 14: localAlarm.ledPin [17] must be used once, found also on line 13.
      buzzerPin: 17\\nmute: 10s      | 14: localAlarm.mute [10s] must be
      buzzerPin: 17\\nsiren: 5       | 14: localAlarm.siren
      """)
  void load_badLocalAlarm_reportsFileAndLine(String section, String problem) throws Exception {
    Path file = withLocalAlarm(section.replace("\\n", "\n") + "\n");

    assertThat(problems(file)).singleElement().asString().startsWith(file + ":" + problem);
  }
}
