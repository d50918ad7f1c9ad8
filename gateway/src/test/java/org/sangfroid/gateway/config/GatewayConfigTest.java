package org.sangfroid.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sangfroid.core.excursion.Rule;
import org.sangfroid.core.excursion.AlarmKind;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sangfroid.core.config.ConfigException;
import org.sangfroid.core.excursion.Profiles;
import org.sangfroid.gateway.config.GatewayConfig.Embedded;
import org.sangfroid.gateway.config.GatewayConfig.External;
import org.sangfroid.gateway.config.GatewayConfig.Unit;

class GatewayConfigTest {
  @TempDir Path dir;

  private static final String GOOD = """
      dataDir: ./data
      http:
        bind: 0.0.0.0
        port: 9090
      broker:
        embedded:
          bind: 127.0.0.1
          port: 0
      engine:
        tick: 30s
      sites:
        - id: casa-01
          name: Casablanca regional transfusion centre
          agents:
            - id: agent-01
              units:
                - id: rbc-fridge-1
                  name: Red cell fridge 1
                  profile: RBC_STORE_EU
                  delay: 3m
                  hysteresis: 0.3
                  monitoringLostAfter: 20m
                - id: ffp-freezer-1
                  profile: FFP_CRYO_EU
        - id: rabat-02
          agents:
            - id: agent-01
              units:
                - id: plt-1
                  profile: PLT_STORE
      """;

  @Test
  void load_goodFile_readsEveryKeyWithOverridesAndDefaults() throws Exception {
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, GOOD);

    GatewayConfig c = GatewayConfig.load(file);

    assertThat(c.dataDir()).isEqualTo(dir.toAbsolutePath().resolve("data"));
    assertThat(c.http()).isEqualTo(new GatewayConfig.Http("0.0.0.0", 9090));
    assertThat(c.broker()).isEqualTo(new Embedded("127.0.0.1", 0));
    assertThat(c.engine().tick()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.sites()).extracting(GatewayConfig.Site::id).containsExactly("casa-01", "rabat-02");
    assertThat(c.sites().get(1).name()).isEqualTo("rabat-02");
    Fleet fleet = c.fleet();
    Unit fridge = fleet.unit("rbc-fridge-1").orElseThrow();
    assertThat(fridge.site()).isEqualTo("casa-01");
    assertThat(fridge.agent()).isEqualTo("agent-01");
    assertThat(fridge.name()).isEqualTo("Red cell fridge 1");
    assertThat(fridge.profile()).isEqualTo(Profiles.byId("RBC_STORE_EU").orElseThrow()
        .withTiming(Duration.ofMinutes(3), 0.3, Duration.ofMinutes(20)));
    assertThat(fleet.unit("ffp-freezer-1").orElseThrow().profile())
        .isEqualTo(Profiles.byId("FFP_CRYO_EU").orElseThrow());
    assertThat(fleet.agent("rabat-02", "agent-01")).isPresent();
    assertThat(fleet.agent("rabat-02", "agent-02")).isEmpty();
    assertThat(fleet.units()).hasSize(3);
  }

  @Test
  void parse_minimalFile_usesDefaults() {
    GatewayConfig c = GatewayConfig.parse("gateway.yaml", """
        dataDir: /var/lib/sangfroid
        sites:
          - id: casa-01
        """, dir);

    assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/sangfroid"));
    assertThat(c.http()).isEqualTo(new GatewayConfig.Http("127.0.0.1", 8080));
    assertThat(c.broker()).isEqualTo(new Embedded("127.0.0.1", 1883));
    assertThat(c.engine().tick()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.sites().get(0).agents()).isEmpty();
  }

  @Test
  void load_externalBroker_readsUrlUsernameAndPasswordFileNextToTheConfig() throws Exception {
    Files.writeString(dir.resolve("gateway.secret"), "s3cret\n");
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, """
        dataDir: ./data
        broker:
          url: ssl://broker.example.org:8883
          username: gateway
          passwordFile: gateway.secret
        sites:
          - id: casa-01
        """);

    GatewayConfig c = GatewayConfig.load(file);

    assertThat(c.broker()).isEqualTo(new External("ssl://broker.example.org:8883", Optional.of("gateway"),
        Optional.of(dir.toAbsolutePath().resolve("gateway.secret"))));
  }

  @Test
  void load_postgresDatabase_readsUrlUsernameAndPasswordFileNextToTheConfig() throws Exception {
    Files.writeString(dir.resolve("db.secret"), "s3cret\n");
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, """
        dataDir: ./data
        database:
          url: jdbc:postgresql://db1.example:5432,db2.example:5432/sangfroid?sslmode=verify-full
          username: sangfroid
          passwordFile: db.secret
        sites:
          - id: casa-01
        """);

    GatewayConfig c = GatewayConfig.load(file);

    assertThat(c.database()).hasValue(new GatewayConfig.Postgres(
        "jdbc:postgresql://db1.example:5432,db2.example:5432/sangfroid?sslmode=verify-full", Optional.of("sangfroid"),
        Optional.of(dir.toAbsolutePath().resolve("db.secret"))));
    assertThat(c.dataDir()).isEqualTo(dir.toAbsolutePath().resolve("data"));
  }

  @Test
  void parse_httpLoginSettings_areRead_andBadOnesNamedWithTheirLine() {
    GatewayConfig c = GatewayConfig.parse("gateway.yaml", """
        dataDir: d
        http:
          secureCookies: true
          sessionIdle: 15m
          sessionMax: 8h
          timeZone: Africa/Casablanca
        sites: [{id: a}]
        """, dir);

    assertThat(c.http()).isEqualTo(new GatewayConfig.Http("127.0.0.1", 8080, true, Duration.ofMinutes(15),
        Duration.ofHours(8), java.time.ZoneId.of("Africa/Casablanca")));
    assertThatThrownBy(() -> GatewayConfig.parse("gateway.yaml", """
        dataDir: d
        http:
          sessionIdle: 30s
          timeZone: Mars/Olympus
        sites: [{id: a}]
        """, dir)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "gateway.yaml:3: http.sessionIdle [30s] must be a duration from 1m to 12h such as 30s, 5m or 2h.",
            "gateway.yaml:4: http.timeZone [Mars/Olympus] must be a time zone such as Europe/Paris,"
                + " Africa/Casablanca or UTC."));
  }

  @Test
  void parse_language_ofTheGatewayAndOfASite_defaultEnglish_badOnesNamedWithTheirLine() {
    GatewayConfig c = GatewayConfig.parse("gateway.yaml", """
        dataDir: d
        language: fr
        sites: [{id: a, language: en}, {id: b}]
        """, dir);
    GatewayConfig plain = GatewayConfig.parse("gateway.yaml", "dataDir: d\nsites: [{id: a}]\n", dir);

    assertThat(c.language()).isEqualTo(org.sangfroid.gateway.user.Language.FR);
    assertThat(c.sites()).extracting(GatewayConfig.Site::language)
        .containsExactly(Optional.of(org.sangfroid.gateway.user.Language.EN), Optional.empty());
    assertThat(plain.language()).isEqualTo(org.sangfroid.gateway.user.Language.EN);
    assertThatThrownBy(() -> GatewayConfig.parse("gateway.yaml", """
        dataDir: d
        language: French
        sites:
          - id: a
            language: de
        """, dir)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "gateway.yaml:2: language [French] must be en or fr.",
            "gateway.yaml:5: sites[0].language [de] must be en or fr."));
  }

  @Test
  void parse_noDatabaseSection_meansTheSqliteFileInDataDir() {
    GatewayConfig c = GatewayConfig.parse("gateway.yaml", "dataDir: d\nsites: [{id: a}]\n", dir);

    assertThat(c.database()).isEmpty();
  }

  @Test
  void parse_fileWithSeveralErrors_listsEveryProblemWithFileAndLine() {
    String text = """
        dataDir: ./data
        http:
          port: 99999
          bnd: 0.0.0.0
        broker:
          url: mqtt://broker
          embedded:
            port: 1883
        engine:
          tick: soon
        sites:
          - id: gateway
            agents:
              - id: agent-01
                units:
                  - id: rbc-fridge-1
                    profile: RBC_STORE
                    delay: 5 minutes
                    hysteresis: -1
          - id: casa-01
            agents:
              - id: agent-01
                units:
                  - id: rbc-fridge-1
                    profile: PLT_STORE
                  - id: bad id
                    profile: PLT_STORE
                    monitoringLostAfter: 10s
              - id: agent-01
        """;

    assertThatThrownBy(() -> GatewayConfig.parse("gateway.yaml", text, dir))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "gateway.yaml:3: http.port [99999] must be a whole number from 0 to 65535.",
            "gateway.yaml:4: http.bnd is not a known setting (known here: bind, port, secureCookies, sessionIdle, sessionMax,"
            + " timeZone)",
            "gateway.yaml:6: broker.url [mqtt://broker] must be an MQTT URL such as tcp://broker:1883 or"
                + " ssl://broker:8883.",
            "gateway.yaml:8: broker.embedded cannot be used together with broker.url (choose one)",
            "gateway.yaml:10: engine.tick [soon] must be a duration from 1s to 1h such as 30s, 5m or 2h.",
            "gateway.yaml:12: sites[0].id [gateway] must not be alarms or gateway (reserved MQTT topic names).",
            "gateway.yaml:17: sites[0].agents[0].units[0].profile [RBC_STORE] must be one of FFP_CRYO_EU, FFP_US,"
                + " PLASMA_FRACT_PHEUR, PLASMA_FRACT_US_CA, PLT_STORE, RBC_STORE_EU, RBC_STORE_US, RBC_TRANSPORT,"
                + " THAWED_PLASMA, ULT_RBC, VACCINE_2_8_REF.",
            "gateway.yaml:18: sites[0].agents[0].units[0].delay [5 minutes] must be a duration from 0s to 1d such"
                + " as 30s, 5m or 2h.",
            "gateway.yaml:19: sites[0].agents[0].units[0].hysteresis [-1] must be a number of °C from 0 to 10.",
            "gateway.yaml:24: sites[1].agents[0].units[0].id [rbc-fridge-1] must be unique across the gateway,"
                + " found it also at line 16.",
            "gateway.yaml:26: sites[1].agents[0].units[1].id [bad id] must be 1 to 64 letters, digits, '.', '_'"
                + " or '-', starting with a letter or digit.",
            "gateway.yaml:28: sites[1].agents[0].units[1].monitoringLostAfter [10s] must be a duration from 1m"
                + " to 7d such as 30s, 5m or 2h.",
            "gateway.yaml:29: sites[1].agents[1].id [agent-01] must be unique within its site, found it also at"
                + " line 22."));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      no dataDir     | sites: [{id: a}]                                        | gateway.yaml:1: dataDir is missing
      no sites       | dataDir: d                                              | gateway.yaml:1: sites is missing
      empty sites    | 'dataDir: d\nsites: []'                                 | gateway.yaml:2: sites must list at least one site
      sites not list | 'dataDir: d\nsites: {id: a}'                            | gateway.yaml:2: sites must be a list (lines starting with '- ')
      unknown root   | 'dataDir: d\nsites: [{id: a}]\nuntis: []'               | gateway.yaml:3: untis is not a known setting (known here: broker, dataDir, database, engine, http, language, notify, sites)
      user, embedded | 'dataDir: d\nbroker: {username: gw}\nsites: [{id: a}]'  | gateway.yaml:2: broker.username applies only to an external broker (set broker.url)
      secret missing | 'dataDir: d\nbroker: {url: tcp://b:1883, username: gw, passwordFile: nope}\nsites: [{id: a}]' | gateway.yaml:2: broker.passwordFile [nope] must be a readable file, found nothing readable at {dir}/nope.
      secret no user | 'dataDir: d\nbroker: {url: tcp://b:1883, passwordFile: .}\nsites: [{id: a}]' | gateway.yaml:2: broker.passwordFile needs broker.username
      db no url      | 'dataDir: d\ndatabase: {username: gw}\nsites: [{id: a}]'  | gateway.yaml:2: database.url is missing
      db not pg      | 'dataDir: d\ndatabase: {url: jdbc:sqlite:/tmp/g.db}\nsites: [{id: a}]' | gateway.yaml:2: database.url [jdbc:sqlite:/tmp/g.db] must be a PostgreSQL JDBC URL such as jdbc:postgresql://db.example:5432/sangfroid.
      db no name     | 'dataDir: d\ndatabase: {url: jdbc:postgresql://db:5432}\nsites: [{id: a}]' | gateway.yaml:2: database.url [jdbc:postgresql://db:5432] must be a PostgreSQL JDBC URL such as jdbc:postgresql://db.example:5432/sangfroid.
      db password    | 'dataDir: d\ndatabase: {url: "jdbc:postgresql://db/s?user=a&password=b"}\nsites: [{id: a}]' | gateway.yaml:2: database.url must not contain the password: put it in database.passwordFile
      db secret miss | 'dataDir: d\ndatabase: {url: jdbc:postgresql://db/s, username: gw, passwordFile: nope}\nsites: [{id: a}]' | gateway.yaml:2: database.passwordFile [nope] must be a readable file, found nothing readable at {dir}/nope.
      db secret user | 'dataDir: d\ndatabase: {url: jdbc:postgresql://db/s, passwordFile: .}\nsites: [{id: a}]' | gateway.yaml:2: database.passwordFile needs database.username
      db unknown key | 'dataDir: d\ndatabase: {url: jdbc:postgresql://db/s, user: gw}\nsites: [{id: a}]' | gateway.yaml:2: database.user is not a known setting (known here: passwordFile, url, username)
      duplicate site | 'dataDir: d\nsites:\n  - id: a\n  - id: a'            | gateway.yaml:4: sites[1].id [a] must be unique, found it also at line 3.
      not YAML       | 'dataDir: [d'                                           | gateway.yaml:1: is not valid YAML: expected ',' or ']', but got <stream end>
      """)
  void parse_badValue_isReportedWithItsLine(String why, String yaml, String expected) {
    String text = yaml.replace("\\n", "\n");

    assertThatThrownBy(() -> GatewayConfig.parse("gateway.yaml", text, dir))
        .isInstanceOfSatisfying(ConfigException.class,
            e -> assertThat(e.problems()).contains(expected.replace("{dir}", dir.toString())));
  }

  @Test
  void unit_rateOfChangeAndTransitTime_addTheSitesOwnRules() {
    GatewayConfig c = GatewayConfig.parse("gateway.yaml", """
        dataDir: ./data
        sites:
          - id: casa-01
            agents:
              - id: agent-01
                units:
                  - id: rbc-fridge-1
                    profile: RBC_STORE_EU
                    rateOfChange: {perHour: 3.0, window: 20m}
                  - id: box-1
                    profile: RBC_TRANSPORT
                    transitTime: 330m
        """, dir);

    assertThat(c.fleet().unit("rbc-fridge-1").orElseThrow().profile().rule(AlarmKind.RATE_OF_CHANGE))
        .hasValue(new Rule.RateOfChange(3.0, Duration.ofMinutes(20), 0.6));
    assertThat(c.fleet().unit("box-1").orElseThrow().profile().rule(AlarmKind.TRANSIT_TIME))
        .as("the box's validated time replaces ISBT's 24 h").hasValue(new Rule.TransitTime(Duration.ofMinutes(330)));
  }

  @Test
  void unit_badRateOfChange_isReportedWithItsLine() {
    assertThatThrownBy(() -> GatewayConfig.parse("gateway.yaml", """
        dataDir: ./data
        sites:
          - id: casa-01
            agents:
              - id: agent-01
                units:
                  - id: rbc-fridge-1
                    profile: RBC_STORE_EU
                    rateOfChange: {perHour: 500}
                    transitTime: 1m
        """, dir)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "gateway.yaml:9: sites[0].agents[0].units[0].rateOfChange.perHour [500] must be a number of °C per hour"
                + " from 0.1 to 100.",
            "gateway.yaml:10: sites[0].agents[0].units[0].transitTime [1m] must be a duration from 10m to 7d such as 30s,"
                + " 5m or 2h."));
  }
}
