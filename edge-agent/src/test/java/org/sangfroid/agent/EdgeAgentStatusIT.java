package org.sangfroid.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.agent.clock.SyncCheck;
import org.sangfroid.agent.clock.TimeBase;
import org.sangfroid.agent.config.AgentConfig;
import org.sangfroid.agent.status.StatusReport;
import org.sangfroid.agent.testkit.BrokerExtension;
import org.sangfroid.agent.testkit.FakeTicker;
import org.sangfroid.agent.testkit.FakeOneWire;
import org.sangfroid.agent.testkit.MutableClock;
import org.sangfroid.agent.testkit.TestBroker;
import picocli.CommandLine;

/**
 * Issue 3, health: a running agent's /metrics (scraped as Prometheus would) and /status (read
 * by {@code sangfroid-agent status}), with a fake 1-Wire tree, the real outbox and a real broker.
 */
@ExtendWith(BrokerExtension.class)
class EdgeAgentStatusIT {
  private static final Instant NOW = Instant.parse("2026-01-15T08:00:00Z");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * One fridge with a probe at 0.5 °C (below the absolute +1 °C: an alarm at once), calibrated and
   * due in a year, and a missing one; one freezer whose probe's calibration fell due on the day
   * before {@link #NOW}.
   */
  private Path config(String agent, String brokerUrl, int port) throws IOException {
    FakeOneWire wire = new FakeOneWire(dir.resolve("w1"))
        .probe("28-0316a2794aff", 0.5)
        .probe("28-00000b0c1d2e", -30.5);
    return Files.writeString(dir.resolve("agent.yaml"), """
        site: casa-01
        agent: %s
        tick: 1s
        dataDir: %s
        broker:
          url: %s
        onewire:
          path: %s
        metrics:
          port: %d
        units:
          - id: rbc-fridge-1
            profile: RBC_STORE_EU
            sensors:
              - id: 28-0316a2794aff
                type: ds18b20
                calibration: {certificate: LAB-2026-0001, date: 2026-01-02, due: 2027-01-02, offset: 0}
              - id: 28-0316a2794b00
                type: ds18b20
          - id: ffp-freezer-1
            profile: FFP_CRYO_EU
            sensors:
              - id: 28-00000b0c1d2e
                type: ds18b20
                calibration: {certificate: LAB-2025-0007, date: 2025-01-14, due: 2026-01-14, offset: 0}
        """.formatted(agent, dir.resolve("data"), brokerUrl, wire.path(), port));
  }

  /**
   * The agent on {@code wall} alone: a monotonic clock that stands still, so the agent's time is
   * the test's (a real one would move it forward between ticks).
   */
  private static EdgeAgent start(Path file, MutableClock wall) {
    return EdgeAgent.start(AgentConfig.load(file),
        new TimeBase(wall, new FakeTicker(Duration.ofMinutes(5)), SyncCheck.always(), Instant.EPOCH, 1));
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The value of the one sample of {@code name} whose labels include {@code labels} (such as
   * {@code unit="rbc-fridge-1"}); every series of the agent also carries its site and agent.
   */
  private static double sample(String scrape, String name, String... labels) {
    List<String> lines = scrape.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
        .filter(l -> l.contains("site=\"casa-01\"") && l.contains("agent=\""))
        .filter(l -> Stream.of(labels).allMatch(l::contains)).toList();
    assertThat(lines).as("one sample of %s %s in:%n%s", name, List.of(labels), scrape).hasSize(1);
    return Double.parseDouble(lines.get(0).substring(lines.get(0).lastIndexOf(' ') + 1));
  }

  private int status(String... args) {
    CommandLine cli = AgentMain.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 1];
    all[0] = "status";
    System.arraycopy(args, 0, all, 1, args.length);
    return cli.execute(all);
  }

  @Test
  void metrics_scrapedWhileRunning_showOutboxConnectionProbesAlarmAndMemory(TestBroker broker) throws Exception {
    int port = freePort();
    MutableClock clock = new MutableClock(NOW);
    try (EdgeAgent agent = start(config("agent-metrics", broker.url(), port), clock)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> agent.outboxDepth() >= 3 && agent.localAlarm().sounding());
      await().atMost(Duration.ofSeconds(10)).until(() -> agent.status().connection().connected());
      // Connected is not yet published: wait for the publisher's first send before the scrape.
      await().atMost(Duration.ofSeconds(10)).until(() -> sample(get("http://127.0.0.1:" + port + "/metrics").body(),
          "sangfroid_agent_readings_published_total") >= 3);
      clock.advance(Duration.ofSeconds(90));

      HttpResponse<String> r = get("http://127.0.0.1:" + port + "/metrics");

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
      String s = r.body();
      String ok = "sensor=\"28-0316a2794aff\"";
      String missing = "sensor=\"28-0316a2794b00\"";
      assertThat(sample(s, "sangfroid_agent_outbox_depth")).isGreaterThanOrEqualTo(3);
      assertThat(sample(s, "sangfroid_agent_outbox_oldest_age_seconds")).isEqualTo(90.0);
      assertThat(sample(s, "sangfroid_agent_outbox_dropped_total")).isZero();
      assertThat(sample(s, "sangfroid_agent_outbox_corrupt_files")).isZero();
      assertThat(sample(s, "sangfroid_agent_readings_published_total")).isGreaterThanOrEqualTo(3);
      assertThat(s).contains("sangfroid_agent_readings_acked_total");
      assertThat(sample(s, "sangfroid_agent_mqtt_connected")).isEqualTo(1.0);
      assertThat(sample(s, "sangfroid_agent_probe_ok", ok)).isEqualTo(1.0);
      assertThat(sample(s, "sangfroid_agent_probe_temperature_celsius", ok)).isEqualTo(0.5);
      assertThat(sample(s, "sangfroid_agent_probe_ok", missing)).isZero();
      assertThat(sample(s, "sangfroid_agent_probe_faults_total", missing)).isGreaterThanOrEqualTo(1);
      assertThat(sample(s, "sangfroid_agent_probe_faults_total", ok)).isZero();
      assertThat(sample(s, "sangfroid_agent_probe_reading_age_seconds", ok)).isGreaterThanOrEqualTo(0);
      String overdue = "sensor=\"28-00000b0c1d2e\"";
      assertThat(sample(s, "sangfroid_agent_probe_calibration_overdue", overdue)).isEqualTo(1.0);
      assertThat(sample(s, "sangfroid_agent_probe_calibration_overdue", ok)).isZero();
      assertThat(sample(s, "sangfroid_agent_probe_calibration_due_timestamp_seconds", ok))
          .isEqualTo(Instant.parse("2027-01-02T00:00:00Z").getEpochSecond());
      assertThat(s.lines().filter(l -> l.startsWith("sangfroid_agent_probe_calibration_") && l.contains(missing)))
          .as("a probe without a calibration has no calibration series").isEmpty();
      assertThat(sample(s, "sangfroid_agent_alarm_sounding")).isEqualTo(1.0);
      assertThat(sample(s, "sangfroid_agent_alarm_muted")).isZero();
      assertThat(sample(s, "sangfroid_agent_alarm_active", "unit=\"rbc-fridge-1\"")).isEqualTo(1.0);
      assertThat(sample(s, "sangfroid_agent_alarm_active", "unit=\"ffp-freezer-1\"")).isZero();
      assertThat(s).containsPattern("(?m)^jvm_memory_used_bytes\\{agent=\"agent-metrics\",area=\"heap\",id=\"[^\"]+\","
          + "site=\"casa-01\"\\} \\d");

      assertThat(get("http://127.0.0.1:" + port + "/nothing").statusCode()).isEqualTo(404);
    }
    assertThat(freePortStillFree(port)).as("the endpoint stops with the agent").isTrue();
  }

  private static boolean freePortStillFree(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void status_runningAgent_readByTheCliWithItsConfigAndExitThreeForTheAlarm(TestBroker broker) throws Exception {
    int port = freePort();
    Path file = config("agent-status", broker.url(), port);
    try (EdgeAgent agent = start(file, new MutableClock(NOW))) {
      await().atMost(Duration.ofSeconds(10)).until(() -> agent.outboxDepth() >= 3 && agent.localAlarm().sounding());
      await().atMost(Duration.ofSeconds(10)).until(() -> agent.status().connection().connected());

      StatusReport json = new ObjectMapper().readValue(get("http://127.0.0.1:" + port + "/status").body(),
          StatusReport.class);
      assertThat(json.site()).isEqualTo("casa-01");
      assertThat(json.outbox().file()).isEqualTo(dir.resolve("data/outbox.db").toString());
      assertThat(json.outbox().recovery()).isNull();
      assertThat(json.probes()).extracting(StatusReport.ProbeState::sensor, StatusReport.ProbeState::quality)
          .containsExactly(
              org.assertj.core.api.Assertions.tuple("28-0316a2794aff", "ok"),
              org.assertj.core.api.Assertions.tuple("28-0316a2794b00", "disconnected"),
              org.assertj.core.api.Assertions.tuple("28-00000b0c1d2e", "ok"));
      assertThat(json.localAlarm().units()).extracting(StatusReport.UnitAlarm::unit).containsExactly("rbc-fridge-1");
      assertThat(json.probes()).extracting(StatusReport.ProbeState::calibrationCertificate,
              StatusReport.ProbeState::calibrationDue, StatusReport.ProbeState::calibrationOverdue)
          .containsExactly(
              org.assertj.core.api.Assertions.tuple("LAB-2026-0001", "2027-01-02", false),
              org.assertj.core.api.Assertions.tuple(null, null, null),
              org.assertj.core.api.Assertions.tuple("LAB-2025-0007", "2026-01-14", true));

      assertThat(status("--config", file.toString())).isEqualTo(3);

      String text = out.toString();
      assertThat(text).startsWith("Agent casa-01/agent-status, version " + EdgeAgent.version() + ", running since "
          + NOW + "; status at " + NOW);
      assertThat(text).contains("Broker:      connected to " + broker.url());
      assertThat(text).containsPattern("Outbox:      \\d+ readings waiting for the gateway \\(at most 350000\\);"
          + " oldest measured " + NOW + " \\(0 s ago\\)");
      assertThat(text).contains("  rbc-fridge-1   28-0316a2794aff  ds18b20   0.500 °C       read 0 s ago,"
          + " calibration due 2027-01-02");
      assertThat(text).contains("  ffp-freezer-1  28-00000b0c1d2e  ds18b20   -30.500 °C     read 0 s ago,"
          + " CALIBRATION OVERDUE (due 2026-01-14)");
      assertThat(text).containsPattern("  rbc-fridge-1   28-0316a2794b00  ds18b20   disconnected   read 0 s ago,"
          + " \\d+ faults since start, last valid never since start");
      assertThat(text).contains("Local alarm: ALARM on rbc-fridge-1 (ABSOLUTE_LOW");
      assertThat(text).contains("             buzzer sounding");
      assertThat(text).contains("Needs attention:", "  - probe 28-0316a2794b00 of rbc-fridge-1 reads disconnected",
          "  - probe 28-00000b0c1d2e of ffp-freezer-1: calibration LAB-2025-0007 was due on 2026-01-14",
          "  - unit rbc-fridge-1 is in alarm: ABSOLUTE_LOW");
      assertThat(err.toString()).isEmpty();
    }
  }

  @Test
  void status_brokerUnreachable_saysWhyAndExitsThree() throws Exception {
    int port = freePort();
    int deadBroker = freePort();
    Path file = config("agent-offline", "tcp://127.0.0.1:" + deadBroker, port);
    try (EdgeAgent agent = start(file, new MutableClock(NOW))) {
      await().atMost(Duration.ofSeconds(10)).until(() -> agent.status().connection().problem() != null);

      assertThat(status("--url", "http://127.0.0.1:" + port)).isEqualTo(3);

      assertThat(out.toString()).contains("Broker:      NOT CONNECTED to tcp://127.0.0.1:" + deadBroker
          + ": Cannot connect to tcp://127.0.0.1:" + deadBroker + ": ")
          .contains("  - not connected to the broker: readings wait in the outbox");
    }
  }

  @Test
  void start_damagedOutbox_movedAsideCountedInTheMetricsAndShownByStatus(TestBroker broker) throws Exception {
    int port = freePort();
    Path file = config("agent-damaged", broker.url(), port);
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(dir.resolve("data/outbox.db"), "this is not an SQLite database");
    MutableClock clock = new MutableClock(NOW);
    try (EdgeAgent agent = start(file, clock)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> agent.outboxDepth() >= 3);

      String moved = dir.resolve("data/outbox.db.corrupt-20260115T080000Z").toString();
      assertThat(sample(get("http://127.0.0.1:" + port + "/metrics").body(), "sangfroid_agent_outbox_corrupt_files"))
          .isEqualTo(1.0);
      assertThat(status("--config", file.toString())).isEqualTo(3);
      assertThat(out.toString())
          .contains("             at this start the outbox file was damaged (does not start with the SQLite header: it is"
              + " not an SQLite database) and moved to " + moved + "; new readings numbered from seq 1")
          .contains("             damaged outbox kept aside: " + moved)
          .contains("  - 1 damaged outbox file(s) kept aside in the data folder");
      assertThat(Path.of(moved)).hasContent("this is not an SQLite database");
    }
  }
}
