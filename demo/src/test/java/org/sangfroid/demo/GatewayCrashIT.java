package org.sangfroid.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.gateway.config.GatewayConfig;
import org.sangfroid.gateway.user.Role;
import org.sangfroid.core.wire.Ack;
import org.sangfroid.core.wire.Decoded;
import org.sangfroid.core.wire.Quality;
import org.sangfroid.core.wire.Reading;
import org.sangfroid.core.wire.ReadingBatch;
import org.sangfroid.core.wire.Topics;
import org.sangfroid.core.wire.WireCodec;

/**
 * Issue 4, acceptance 2: the gateway process, SIGKILLed 40 hours into the 72-hour cumulative
 * allowance of plasma for fractionation while a backlog streams in, and started again on the same
 * data folder, goes on counting: the CUMULATIVE_EXPOSURE alarm is raised at the reading that takes
 * the total past 72 h (not 72 h after the restart), once, and every reading is stored once.
 */
class GatewayCrashIT {
  private static final String SITE = "casa-01";
  private static final String AGENT = "agent-01";
  private static final String UNIT = "plasma-freezer-1";
  private static final Duration STEP = Duration.ofMinutes(30);
  /** Readings 1..149: 0 h to 74 h, every 30 min, all at -18 °C (above -20 °C: counting). */
  private static final int LAST = 149;
  private static final Pattern MQTT = Pattern.compile("MQTT:\\s+(tcp://\\S+)");
  private static final Pattern API = Pattern.compile("API:\\s+http://[^:]+:(\\d+)/");

  @TempDir Path dir;

  /** Measurement times lie in the past, as for a backlog after an outage. */
  private final Instant t0 = Instant.now().minus(Duration.ofHours(80));

  @Test
  void gatewayKilled40hIntoA72hCumulativeCount_keepsCountingAfterTheRestart() throws Exception {
    Path config = Files.writeString(dir.resolve("gateway.yaml"), """
        dataDir: ./data
        http:
          port: 0
        broker:
          embedded:
            port: 0
        sites:
          - id: casa-01
            agents:
              - id: agent-01
                units:
                  - id: plasma-freezer-1
                    profile: PLASMA_FRACT_PHEUR
                    monitoringLostAfter: 7d
        """);

    WebLogin login = WebLogin.create(GatewayConfig.load(config), "tester", Role.VIEWER, "test");
    Child first = Child.start(config, dir.resolve("gateway-1.log"));
    AtomicLong acked = new AtomicLong();
    try (Agent agent = new Agent(first.mqtt, acked)) {
      agent.sendFrom(1, 81, 10); // 0 h .. 40 h, in batches of 10
      await().atMost(Duration.ofSeconds(60)).until(() -> acked.get() >= 41);
      first.kill(); // mid-stream: later batches may be in flight or half stored
    }
    assertThat(acked.get()).as("killed before everything was acknowledged or just after").isLessThanOrEqualTo(81);

    Child second = Child.start(config, dir.resolve("gateway-2.log"));
    try {
      AtomicLong ackedAgain = new AtomicLong();
      try (Agent agent = new Agent(second.mqtt, ackedAgain)) {
        await().atMost(Duration.ofSeconds(30)).until(() -> ackedAgain.get() >= 41); // the retained ack
        long resumeAfter = ackedAgain.get();
        assertThat(resumeAfter).as("the watermark survived the kill").isGreaterThanOrEqualTo(acked.get());
        agent.sendFrom(resumeAfter + 1, LAST, 10); // what the agent still holds: resent, then the rest
        await().atMost(Duration.ofSeconds(60)).until(() -> ackedAgain.get() == LAST);
      }
      GatewayApi api = new GatewayApi(second.httpPort, login);
      assertThat(api.seqs(List.of(UNIT))).as("each reading stored once")
          .containsExactlyElementsOf(LongStream.rangeClosed(1, LAST).boxed().toList());
      List<GatewayApi.Alarm> cumulative = api.alarms("all").stream()
          .filter(a -> a.kind().equals("CUMULATIVE_EXPOSURE")).toList();
      assertThat(cumulative).as("one alarm, raised when the total passed 72 h of measurement time").singleElement()
          .satisfies(a -> {
            assertThat(a.startedAt()).isEqualTo(time(1));
            assertThat(a.raisedAt()).isEqualTo(time(1).plus(Duration.ofMinutes(72 * 60 + 30)));
          });
    } finally {
      second.kill();
    }
  }

  private Instant time(long seq) {
    return t0.plus(STEP.multipliedBy(seq - 1)).truncatedTo(ChronoUnit.MILLIS);
  }

  /** A stand-in for the edge agent: publishes batches and follows its retained ack. */
  private final class Agent implements AutoCloseable {
    private final MqttClient client;

    Agent(String url, AtomicLong acked) throws Exception {
      client = new MqttClient(url, AGENT + "-test", new MemoryPersistence());
      MqttConnectOptions o = new MqttConnectOptions();
      o.setCleanSession(true);
      client.connect(o);
      client.subscribe(Topics.agent(SITE, AGENT, Topics.Kind.ACK), 1, (topic, message) -> {
        if (WireCodec.decodeAck(message.getPayload()) instanceof Decoded.Valid<?> v
            && v.value() instanceof Ack ack) {
          acked.accumulateAndGet(ack.upTo(), Math::max);
        }
      });
    }

    void sendFrom(long from, long to, int batchSize) throws Exception {
      for (long start = from; start <= to; start += batchSize) {
        List<Reading> readings = new ArrayList<>();
        for (long seq = start; seq <= Math.min(to, start + batchSize - 1); seq++) {
          readings.add(new Reading(seq, time(seq).toEpochMilli(), UNIT, "probe-1", -18.0, Quality.OK, true));
        }
        client.publish(Topics.agent(SITE, AGENT, Topics.Kind.READINGS),
            WireCodec.encode(new ReadingBatch(SITE, AGENT, readings)), 1, false);
      }
    }

    @Override
    public void close() throws Exception {
      if (client.isConnected()) {
        client.disconnect();
      }
      client.close(true); // the broker may be gone (killed)
    }
  }

  /** The gateway as a child process running the packaged jars, as in production. */
  private record Child(Process process, String mqtt, int httpPort) {
    static Child start(Path config, Path log) throws Exception {
      Path lib = Path.of("target", "lib").toAbsolutePath();
      String java = ProcessHandle.current().info().command().orElse("java");
      Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", lib + "/*", "org.sangfroid.gateway.GatewayMain", "run",
          "--config", config.toString())
          .redirectErrorStream(true)
          .start();
      List<String> lines = new CopyOnWriteArrayList<>();
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            lines.add(line);
            Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
          }
        } catch (Exception e) {
          // the process was killed
        }
      }, "gateway-child-output");
      reader.setDaemon(true);
      reader.start();
      await().atMost(Duration.ofSeconds(60))
          .until(() -> lines.stream().anyMatch(l -> l.contains("Stop with Ctrl-C")) || !p.isAlive());
      assertThat(p.isAlive()).as("gateway started; output: %s", lines).isTrue();
      String mqtt = null;
      int http = 0;
      for (String l : lines) {
        Matcher m = MQTT.matcher(l);
        if (m.find()) {
          mqtt = m.group(1);
        }
        Matcher a = API.matcher(l);
        if (a.find()) {
          http = Integer.parseInt(a.group(1));
        }
      }
      assertThat(mqtt).as("MQTT URL in %s", lines).isNotNull();
      return new Child(p, mqtt, http);
    }

    void kill() {
      TestSite.kill(process);
    }
  }
}
