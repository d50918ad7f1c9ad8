package org.sangfroid.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.core.check.Checks;

/**
 * Issue 7, brokers: the agent and the gateway against Debian's Mosquitto, configured with the
 * shipped deploy/mosquitto/sangfroid.conf and sangfroid.acl (only listener ports and file paths
 * changed, and the optional certificate listener enabled: see {@link MosquittoProcess#testConfig}),
 * with credentials issued by the shipped deploy/bin/sangfroid-credentials. One broker for the
 * whole class; it is skipped without Debian's mosquitto, except on CI (CI=true), where it fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MosquittoIT {
  private static final String SITE = SiteConfigs.SITE;
  private static final String AGENT = SiteConfigs.AGENT;
  private static final String AGENT_USER = SITE + "/" + AGENT;
  private static final String GATEWAY_USER = "sangfroid-gateway";
  private static final String PREFIX = "sangfroid/v1/";

  private Path dir;
  private MosquittoProcess broker;
  private String gatewaySection;
  private String agentSection;
  private String gatewayPassword;
  private String agentPassword;

  @BeforeAll
  void startMosquittoAndIssueCredentials(@TempDir Path tempDir) {
    dir = tempDir;
    Optional<Path> mosquitto = MosquittoProcess.executable();
    if (mosquitto.isEmpty() || !MosquittoProcess.onPath("openssl")) {
      String why = "mosquitto or openssl is not installed: apt-get install " + MosquittoProcess.APT_PACKAGE + " openssl";
      if ("true".equals(System.getenv("CI"))) {
        fail(why + " (CI installs them, so this must not be skipped there)");
      }
      Assumptions.assumeTrue(false, why);
    }
    Path brokerDir = dir.resolve("broker");
    MosquittoProcess.makeCertificates(brokerDir);
    broker = MosquittoProcess.start(mosquitto.get(), brokerDir);

    // As an operator would: issue credentials, then reload the running broker.
    Path creds = dir.resolve("credentials");
    MosquittoProcess.Run gateway = issue(creds, "gateway");
    MosquittoProcess.Run agent = issue(creds, "agent", "--site", SITE, "--agent", AGENT, "--cert",
        "--ca-cert", brokerDir.resolve("ca.crt").toString(), "--ca-key", brokerDir.resolve("ca.key").toString());
    assertThat(gateway.stderr() + agent.stderr()).as("the shipped ACL already has every rule the script adds")
        .doesNotContain("Added");
    gatewaySection = gateway.stdout();
    agentSection = agent.stdout();
    gatewayPassword = firstLine(creds.resolve(GATEWAY_USER).resolve("mqtt.password"));
    agentPassword = firstLine(creds.resolve(SITE).resolve(AGENT).resolve("mqtt.password"));
    broker.reload();
    await("the gateway's new password works after a reload").atMost(Duration.ofSeconds(10))
        .ignoreException(MqttException.class)
        .until(() -> {
          MqttClient c = connect("test-reloaded", GATEWAY_USER, gatewayPassword);
          c.disconnectForcibly(0, 1000, false);
          c.close(true);
          return true;
        });
  }

  private MosquittoProcess.Run issue(Path creds, String... args) {
    Path secretDir = "gateway".equals(args[0]) ? creds.resolve(GATEWAY_USER) : creds.resolve(SITE).resolve(AGENT);
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--passwd", broker.dir.resolve("passwd").toString(),
        "--acl", broker.dir.resolve("acl").toString(),
        "--out", creds.toString(),
        "--url", broker.url(),
        "--password-path", secretDir.resolve("mqtt.password").toString()));
    MosquittoProcess.Run run = MosquittoProcess.credentials(dir, all.toArray(String[]::new));
    assertThat(run.exitCode()).as("sangfroid-credentials %s: %s", all, run.stderr()).isZero();
    return run;
  }

  @AfterAll
  void stopMosquitto() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void gatewayAndAgent_withIssuedCredentials_deliverReadingsThroughMosquitto() {
    assertThat(agentSection).contains("username: " + AGENT_USER).contains("passwordFile: ");
    try (TestSite site = new TestSite(dir.resolve("site"), gatewaySection)) {
      site.startGateway();
      site.agentConfigWithBroker(agentSection);
      site.startAgent(Clock.systemUTC());

      await("readings stored and acked").atMost(Duration.ofSeconds(30))
          .until(() -> site.agent.ackedUpTo() >= 6);
      long acked = site.agent.ackedUpTo();
      assertThat(site.api.seqs(TestSite.UNITS)).as("stored once each, up to the ack")
          .doesNotHaveDuplicates()
          .containsAll(LongStream.rangeClosed(1, acked).boxed().toList());
    }
    assertThat(broker.logText()).as("both logged in with their own usernames")
        .contains("u'" + GATEWAY_USER + "'").contains("u'" + AGENT_USER + "'");
  }

  @Test
  void anAgent_cannotPublishOrReadOutsideItsOwnTopics() throws MqttException {
    String tag = UUID.randomUUID().toString();
    List<String> seenByGateway = new CopyOnWriteArrayList<>();
    List<String> seenByAgent = new CopyOnWriteArrayList<>();
    MqttClient watch = connect("test-watch-gateway", GATEWAY_USER, gatewayPassword);
    MqttClient ackWatch = connect("test-watch-agent", AGENT_USER, agentPassword);
    MqttClient intruder = connect("test-intruder", AGENT_USER, agentPassword);
    try {
      watch.subscribe(PREFIX + "#", 1, (t, m) -> seenByGateway.add(t + " " + new String(m.getPayload(), StandardCharsets.UTF_8)));
      // The broker accepts the wildcard but delivers only acks agent-01 may read.
      ackWatch.subscribe(PREFIX + "+/+/ack", 1, (t, m) -> seenByAgent.add(t + " " + new String(m.getPayload(), StandardCharsets.UTF_8)));

      // Publishing as someone else. With MQTT 3.1.1 the broker still answers PUBACK (Paho's
      // publish returns normally) and drops the message: only the subscribers can tell.
      List<String> forbidden = List.of(
          SITE + "/agent-02/readings",       // another agent of the same site
          "other-site/" + AGENT + "/readings", // the same agent id at another site
          SITE + "/agent-02/status",
          SITE + "/agent-02/events",
          "gateway/state");                  // pretending the gateway is offline
      for (String topic : forbidden) {
        intruder.publish(PREFIX + topic, ("forbidden " + tag).getBytes(StandardCharsets.UTF_8), 1, false);
      }
      intruder.publish(PREFIX + SITE + "/" + AGENT + "/ack", ("forged " + tag).getBytes(StandardCharsets.UTF_8), 1, false);
      // Then a publish it may make. Mosquitto routes each message before its PUBACK, in order,
      // so a forbidden one that got through would have arrived before this one.
      intruder.publish(PREFIX + SITE + "/" + AGENT + "/events", ("allowed " + tag).getBytes(StandardCharsets.UTF_8), 1, false);

      // The gateway answers two agents; agent-01 may read only its own ack.
      watch.publish(PREFIX + SITE + "/agent-02/ack", ("other " + tag).getBytes(StandardCharsets.UTF_8), 1, false);
      watch.publish(PREFIX + SITE + "/" + AGENT + "/ack", ("own " + tag).getBytes(StandardCharsets.UTF_8), 1, false);

      String allowed = PREFIX + SITE + "/" + AGENT + "/events allowed " + tag;
      String ownAck = PREFIX + SITE + "/" + AGENT + "/ack own " + tag;
      await("the allowed publish arrives").atMost(Duration.ofSeconds(10)).until(() -> seenByGateway.contains(allowed));
      await("agent-01's own ack arrives").atMost(Duration.ofSeconds(10)).until(() -> seenByAgent.contains(ownAck));

      assertThat(seenByGateway).as("what the gateway user received").contains(allowed)
          .noneMatch(s -> s.endsWith("forbidden " + tag));
      assertThat(seenByAgent).as("what agent-01 received on its ack subscription")
          .containsOnlyOnce(ownAck)
          .noneMatch(s -> s.endsWith("forged " + tag))
          .noneMatch(s -> s.endsWith("other " + tag));
    } finally {
      for (MqttClient c : List.of(intruder, ackWatch, watch)) {
        c.disconnectForcibly(0, 1000, false);
        c.close(true);
      }
    }
  }

  @Test
  void wrongOrMissingCredentials_areRefused() {
    // Mosquitto answers CONNACK 5 (not authorised); 4 (bad user name or password) is also a refusal.
    assertThatThrownBy(() -> connect("test-wrong-password", AGENT_USER, "not-" + agentPassword))
        .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode())
            .isIn((int) MqttException.REASON_CODE_FAILED_AUTHENTICATION, (int) MqttException.REASON_CODE_NOT_AUTHORIZED));
    assertThatThrownBy(() -> connect("test-unknown-user", SITE + "/agent-99", agentPassword))
        .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode())
            .isIn((int) MqttException.REASON_CODE_FAILED_AUTHENTICATION, (int) MqttException.REASON_CODE_NOT_AUTHORIZED));
    assertThatThrownBy(() -> connect("test-anonymous", null, null))
        .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode())
            .isIn((int) MqttException.REASON_CODE_FAILED_AUTHENTICATION, (int) MqttException.REASON_CODE_NOT_AUTHORIZED));
  }

  @Test
  void credentialsScript_writesTheShippedAclRules_privateSecrets_andCheckedIds() throws IOException {
    Path work = dir.resolve("script");
    String[] files = {"--passwd", work.resolve("passwd").toString(), "--acl", work.resolve("acl").toString(),
        "--out", work.resolve("out").toString()};

    MosquittoProcess.Run gateway = MosquittoProcess.credentials(work, concat(new String[] {"gateway"}, files));
    MosquittoProcess.Run agent = MosquittoProcess.credentials(work,
        concat(new String[] {"agent", "--site", "casa-01", "--agent", "a".repeat(64), "--url", "ssl://mqtt.example.org:8883"}, files));
    assertThat(gateway.exitCode()).as(gateway.stderr()).isZero();
    assertThat(agent.exitCode()).as(agent.stderr()).isZero();
    assertThat(agent.stdout()).isEqualTo("""
        broker:
          url: ssl://mqtt.example.org:8883
          username: casa-01/%s
          passwordFile: /etc/sangfroid/mqtt.password
        """.formatted("a".repeat(64)));
    assertThat(MosquittoProcess.aclRules(work.resolve("acl"))).as("rules a new ACL file gets")
        .containsExactlyElementsOf(MosquittoProcess.aclRules(MosquittoProcess.shippedAcl()));

    Path secret = work.resolve("out/casa-01").resolve("a".repeat(64)).resolve("mqtt.password");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
    assertThat(firstLine(secret)).matches("[0-9a-f]{48}");
    assertThat(Files.readAllLines(work.resolve("passwd"))).extracting(l -> l.substring(0, l.indexOf(':')))
        .containsExactly(GATEWAY_USER, "casa-01/" + "a".repeat(64));

    MosquittoProcess.Run again = MosquittoProcess.credentials(work,
        concat(new String[] {"agent", "--site", "casa-01", "--agent", "a".repeat(64)}, files));
    assertThat(again.exitCode()).isEqualTo(2);
    assertThat(again.stderr()).contains("already has a password").contains("--replace");

    for (String[] bad : List.of(
        new String[] {"--site", "casa 01", "--agent", "agent-01"},
        new String[] {"--site", "casa-01", "--agent", "a".repeat(65)},
        new String[] {"--site", "casa-01", "--agent", "-agent"},
        new String[] {"--site", "casa-01", "--agent", "x/y"})) {
      MosquittoProcess.Run run = MosquittoProcess.credentials(work, concat(concat(new String[] {"agent"}, bad), files));
      assertThat(run.exitCode()).as(String.join(" ", bad)).isEqualTo(2);
      assertThat(run.stderr()).as("the same rule text as Checks.ID").contains("must " + Checks.ID_RULE);
    }
    MosquittoProcess.Run reserved = MosquittoProcess.credentials(work,
        concat(new String[] {"agent", "--site", "alarms", "--agent", "agent-01"}, files));
    assertThat(reserved.exitCode()).isEqualTo(2);
    assertThat(reserved.stderr()).contains("--site [alarms] must not be gateway or alarms");
  }

  @Test
  void tlsListeners_takeAPasswordOrAClientCertificate_underTheSameAcl() throws Exception {
    String tag = UUID.randomUUID().toString();
    Path brokerDir = broker.dir;
    Path agentDir = dir.resolve("credentials").resolve(SITE).resolve(AGENT);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(brokerDir.resolve("ca.crt"))) {
      trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    KeyStore client = KeyStore.getInstance("PKCS12");
    char[] p12Password = firstLine(agentDir.resolve("client.p12.password")).toCharArray();
    try (InputStream in = Files.newInputStream(agentDir.resolve("client.p12"))) {
      client.load(in, p12Password);
    }
    SSLSocketFactory trustOnly = tls(trust, null, null);
    SSLSocketFactory withCertificate = tls(trust, client, p12Password);

    List<String> seen = new CopyOnWriteArrayList<>();
    MqttClient watch = connect("test-watch-tls", GATEWAY_USER, gatewayPassword);
    MqttClient byPassword = connect(broker.tlsUrl(), "test-tls-password", AGENT_USER, agentPassword, trustOnly);
    MqttClient byCertificate = connect(broker.certUrl(), "test-tls-certificate", null, null, withCertificate);
    try {
      watch.subscribe(PREFIX + "#", 1, (t, m) -> seen.add(t + " " + new String(m.getPayload(), StandardCharsets.UTF_8)));
      String own = PREFIX + SITE + "/" + AGENT + "/events";
      byPassword.publish(own, ("password " + tag).getBytes(StandardCharsets.UTF_8), 1, false);
      // The certificate's CN is the username, so the agent's own topics are its only ones.
      byCertificate.publish(PREFIX + SITE + "/agent-02/readings", ("forbidden " + tag).getBytes(StandardCharsets.UTF_8), 1, false);
      byCertificate.publish(own, ("certificate " + tag).getBytes(StandardCharsets.UTF_8), 1, false);
      await("both TLS publishes arrive").atMost(Duration.ofSeconds(10))
          .until(() -> seen.containsAll(List.of(own + " password " + tag, own + " certificate " + tag)));
      assertThat(seen).noneMatch(x -> x.endsWith("forbidden " + tag));
    } finally {
      for (MqttClient c : List.of(byCertificate, byPassword, watch)) {
        c.disconnectForcibly(0, 1000, false);
        c.close(true);
      }
    }
    assertThat(broker.logText()).as("the certificate listener took the username from the certificate")
        .contains("u'" + AGENT_USER + "'");
    // Refused: no client certificate on the certificate listener; plain MQTT on a TLS port.
    assertThatThrownBy(() -> connect(broker.certUrl(), "test-no-certificate", AGENT_USER, agentPassword, trustOnly))
        .isInstanceOf(MqttException.class);
    assertThatThrownBy(() -> connect(broker.tlsUrl().replace("ssl:", "tcp:"), "test-plain-on-tls", AGENT_USER,
        agentPassword, null)).isInstanceOf(MqttException.class);
  }

  // ---- helpers ----

  private static SSLSocketFactory tls(KeyStore trust, KeyStore keys, char[] keyPassword) throws Exception {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManager[] km = null;
    if (keys != null) {
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, keyPassword);
      km = kmf.getKeyManagers();
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(km, tmf.getTrustManagers(), null);
    return ctx.getSocketFactory();
  }

  private MqttClient connect(String clientId, String username, String password) throws MqttException {
    return connect(broker.url(), clientId, username, password, null);
  }

  private static MqttClient connect(String url, String clientId, String username, String password,
      SSLSocketFactory tls) throws MqttException {
    MqttClient client = new MqttClient(url, clientId, new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setCleanSession(true);
    o.setConnectionTimeout(5);
    if (tls != null) {
      o.setSocketFactory(tls);
      o.setHttpsHostnameVerificationEnabled(true); // the server certificate must name 127.0.0.1
    }
    if (username != null) {
      o.setUserName(username);
      o.setPassword(password.toCharArray());
    }
    try {
      client.connect(o);
    } catch (MqttException e) {
      client.close(true);
      throw e;
    }
    return client;
  }

  private static String firstLine(Path file) {
    try {
      return Files.readAllLines(file).get(0).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
