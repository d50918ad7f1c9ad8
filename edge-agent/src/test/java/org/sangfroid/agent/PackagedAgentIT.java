package org.sangfroid.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.agent.logging.AgentLogging;
import org.sangfroid.agent.testkit.FakeOneWire;

/**
 * The packaged agent, as the service runs it ({@code java -jar ... run --config FILE}): it logs
 * with its built-in set-up, and a file named by {@code logback.configurationFile} still replaces
 * that set-up; it loads neither logback's XML configurator nor picocli, which would stay resident
 * for its whole life, and verifies no jar signature (docs/performance.md).
 */
class PackagedAgentIT {
  private static final Path JAR = Path.of("target", "sangfroid-edge-agent.jar");
  private static final String STARTED = "Edge agent site-1/agent-1 ";

  @TempDir Path dir;
  private Path config;

  @BeforeEach
  void writeConfig() throws IOException {
    assertThat(JAR).as("the agent's jar (built in the package phase)").isRegularFile();
    FakeOneWire wire = new FakeOneWire(dir.resolve("w1")).probe("28-0316a2794aff", 4.25);
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();  // closed again: the agent keeps retrying the broker, which is fine here
    }
    config = Files.writeString(dir.resolve("agent.yaml"), """
        site: site-1
        agent: agent-1
        tick: 1s
        dataDir: %s
        broker:
          url: tcp://127.0.0.1:%d
        onewire:
          path: %s
        clock:
          sync: always
        units:
          - id: fridge-1
            profile: RBC_STORE_EU
            sensors:
              - id: 28-0316a2794aff
                type: ds18b20
        """.formatted(dir.resolve("data"), port, wire.path()));
  }

  @Test
  void serviceCommandLine_logsTimeLevelThreadClassMessage_withoutXmlConfiguratorPicocliDatabindOrSignatureCheck() throws Exception {
    Path classes = dir.resolve("classes.log");

    List<String> out = runUntilStarted(List.of("-Xlog:class+load=info:file=" + classes));

    assertThat(out).anySatisfy(line -> assertThat(line)
        .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[main\\] EdgeAgent: " + STARTED + ".*"));
    List<String> loaded = Files.readAllLines(classes);
    assertThat(loaded).anyMatch(l -> l.contains(" " + AgentLogging.class.getName() + " "));
    assertThat(loaded.stream().filter(l -> l.contains(" ch.qos.logback.core.joran.GenericXMLConfigurator ")
        || l.contains(" ch.qos.logback.classic.joran.JoranConfigurator ") || l.contains(" javax.xml.parsers.")
        || l.contains(" com.sun.org.apache.xerces.")))
        .as("logback's XML configurator and the JDK's XML parser stay unloaded").isEmpty();
    assertThat(loaded.stream().filter(l -> l.contains(" picocli.CommandLine$Model$")))
        .as("picocli builds no model of the commands").isEmpty();
    assertThat(loaded.stream().filter(l -> l.contains(" com.fasterxml.jackson.databind.")))
        .as("Jackson databind stays unloaded (core's JSON runs on jackson-core)").isEmpty();
    assertThat(loaded).as("Paho's classes are loaded").anyMatch(l -> l.contains(" org.eclipse.paho.client.mqttv3."));
    assertThat(loaded.stream().filter(l -> l.contains(" sun.security.pkcs.PKCS7 ")))
        .as("no jar signature is verified (Paho's jar is staged without it: about 2 MB)").isEmpty();
  }

  @Test
  void statusEndpoint_answersMetricsAndStatus_withoutDatabindPrometheusClientOrJdkHttpServer() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Files.writeString(config, Files.readString(config) + "metrics:\n  bind: 127.0.0.1\n  port: " + port + "\n");
    Path classes = dir.resolve("classes.log");
    HttpClient http = HttpClient.newHttpClient();
    List<HttpResponse<String>> answers = new ArrayList<>();

    runUntilStarted(List.of("-Xlog:class+load=info:file=" + classes), () -> {
      for (String path : List.of("/metrics", "/status")) {
        answers.add(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()));
      }
    });

    assertThat(answers).extracting(HttpResponse::statusCode).containsExactly(200, 200);
    assertThat(answers.get(0).body())
        .contains("sangfroid_agent_readings_sampled_total{agent=\"agent-1\",site=\"site-1\"}");
    assertThat(answers.get(1).body()).startsWith("{\"v\":1,\"site\":\"site-1\",\"agent\":\"agent-1\",");
    List<String> loaded = Files.readAllLines(classes);
    assertThat(loaded).anyMatch(l -> l.contains(" org.sangfroid.agent.status.StatusJson "));
    assertThat(loaded.stream().filter(l -> l.contains(" com.fasterxml.jackson.databind.")
        || l.contains(" io.prometheus.") || l.contains(" io.micrometer.prometheusmetrics.")
        || l.contains(" sun.net.httpserver.")
        || l.contains(" sun.util.resources.cldr.TimeZoneNames ")))
        .as("answering loads neither databind, the Prometheus client, the JDK's HTTP server nor its time-zone names"
            + " (about 11 MB in all: docs/performance.md)").isEmpty();
  }

  @Test
  void pahoJar_isStagedWithoutItsSignature_underTheNameTheManifestGives() throws IOException {
    String classPath;
    try (JarFile jar = new JarFile(JAR.toFile())) {
      classPath = jar.getManifest().getMainAttributes().getValue("Class-Path");
    }
    String paho = List.of(classPath.split(" ")).stream()
        .filter(p -> p.startsWith("lib/org.eclipse.paho.client.mqttv3-")).findFirst().orElseThrow();
    try (JarFile jar = new JarFile(JAR.resolveSibling(paho).toFile())) {
      List<String> names = jar.stream().map(JarEntry::getName).toList();
      assertThat(names).noneMatch(n -> n.matches("META-INF/[^/]+\\.(SF|RSA|DSA|EC)"));
      assertThat(names).contains("org/eclipse/paho/client/mqttv3/MqttAsyncClient.class");
    }
  }

  @Test
  void configurationFileProperty_replacesTheBuiltInSetUp() throws Exception {
    Path xml = Files.writeString(dir.resolve("logback.xml"), """
        <configuration>
          <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
            <encoder><pattern>custom|%level|%logger|%msg%n</pattern></encoder>
          </appender>
          <root level="INFO"><appender-ref ref="OUT"/></root>
        </configuration>
        """);

    List<String> out = runUntilStarted(List.of("-Dlogback.configurationFile=" + xml));

    assertThat(out).anySatisfy(line -> assertThat(line)
        .startsWith("custom|INFO|org.sangfroid.agent.EdgeAgent|" + STARTED));
  }

  /** Runs the agent's jar until it logs that it started, stops it (SIGTERM) and returns its output lines. */
  private List<String> runUntilStarted(List<String> jvmOptions) throws Exception {
    return runUntilStarted(jvmOptions, () -> { });
  }

  /** What a test does with the running agent, before it is stopped. */
  private interface WhileRunning {
    void run() throws Exception;
  }

  private List<String> runUntilStarted(List<String> jvmOptions, WhileRunning whileRunning) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx32m"));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-jar", JAR.toString(), "run", "--config", config.toString()));
    Process agent = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(agent.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          lines.add(line);
        }
      } catch (IOException e) {
        // the JDK closes the pipe once the process has exited: the end of its output
      }
    }, "agent-output");
    reader.start();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> lines.stream().anyMatch(l -> l.contains(STARTED)));
      whileRunning.run();
    } finally {
      agent.destroy();
      assertThat(agent.waitFor(30, TimeUnit.SECONDS)).as("the agent stops on SIGTERM").isTrue();
      reader.join(TimeUnit.SECONDS.toMillis(10));
    }
    return List.copyOf(lines);
  }
}
