package org.sangfroid.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.gateway.GatewayApp;
import org.sangfroid.gateway.config.GatewayConfig;
import org.yaml.snakeyaml.Yaml;

/**
 * The Grafana dashboard and the Prometheus alert rules in deploy/observability: well formed,
 * and every metric they query is one the gateway really exports on /metrics (a gateway is
 * started on its embedded broker for that), except the few listed in {@link #NOT_FROM_GATEWAY}.
 */
class ObservabilityIT {
  static final Path DIR = Path.of("observability");
  static final Path DASHBOARD = DIR.resolve("grafana-dashboard.json");
  static final Path ALERTS = DIR.resolve("prometheus-alerts.yml");
  static final Path ALERT_TESTS = DIR.resolve("prometheus-alerts.test.yml");

  /** Metrics the files may use although the gateway does not export them (yet), and why. */
  static final Map<String, String> NOT_FROM_GATEWAY = Map.of(
      "sangfroid_notify_failed_total", "future: notification failures, added by issue 4 (notifications)",
      "up", "Prometheus's own per-target metric (is the gateway answering?)");

  /** What the brief asks the dashboard to show. */
  static final List<String> DASHBOARD_MUST_SHOW = List.of(
      "sangfroid_ingest_readings_stored_total", "sangfroid_ingest_rejected_total", "sangfroid_agent_outbox_depth",
      "sangfroid_agent_last_seen_seconds", "sangfroid_alarms_raised_total", "sangfroid_units_in_alarm",
      "sangfroid_mqtt_connected", "sangfroid_broker_messages_dropped_total", "jvm_memory_used_bytes",
      "sangfroid_notify_failed_total");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left",
      "group_right", "and", "or", "unless", "bool", "offset", "inf", "nan");

  @TempDir static Path tmp;
  private static GatewayApp gateway;
  private static Set<String> exported;
  private static String scrape;

  @BeforeAll
  static void startGateway() throws Exception {
    String yaml = """
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
                  - id: rbc-fridge-1
                    profile: RBC_STORE_EU
        """;
    gateway = GatewayApp.start(GatewayConfig.parse("gateway.yaml", yaml, tmp), Clock.systemUTC());
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(200);
    scrape = r.body();
    exported = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        exported.add(line.split("[{ ]", 2)[0]);
      }
    }
  }

  @AfterAll
  static void stopGateway() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void gateway_exportsTheFleetGaugesWithValues() {
    assertThat(scrape).contains("\nsangfroid_units_in_alarm 0.0\n")
        .contains("\nsangfroid_agent_online{agent=\"agent-01\",site=\"casa-01\"} 0.0\n")
        .containsPattern("\nsangfroid_agent_last_seen_seconds\\{agent=\"agent-01\",site=\"casa-01\"} \\d+\\.\\d+\n")
        .contains("\nsangfroid_agent_outbox_depth{agent=\"agent-01\",site=\"casa-01\"} NaN\n");
  }

  // ---- the dashboard ----

  private static JsonNode dashboard() throws IOException {
    return JSON.readTree(Files.readString(DASHBOARD));
  }

  private static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode p : dashboard.get("panels")) {
      out.add(p);
      p.path("panels").forEach(out::add); // panels inside collapsed rows
    }
    return out;
  }

  private static List<String> dashboardExpressions() throws IOException {
    List<String> out = new ArrayList<>();
    for (JsonNode p : panels(dashboard())) {
      p.path("targets").forEach(t -> out.add(t.get("expr").asText()));
    }
    return out;
  }

  @Test
  void dashboard_isGrafana10JsonWithAPrometheusDatasourceVariableUsedByEveryPanel() throws IOException {
    JsonNode d = dashboard();

    assertThat(d.get("title").asText()).isEqualTo("Sangfroid");
    assertThat(d.get("uid").asText()).matches("[a-z0-9-]{1,40}");
    assertThat(d.get("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
    assertThat(d.at("/templating/list")).anySatisfy(v -> {
      assertThat(v.get("name").asText()).isEqualTo("datasource");
      assertThat(v.get("type").asText()).isEqualTo("datasource");
      assertThat(v.get("query").asText()).isEqualTo("prometheus");
    });
    Set<Integer> ids = new HashSet<>();
    for (JsonNode p : panels(d)) {
      assertThat(ids.add(p.get("id").asInt())).as("panel id %s unique", p.get("id")).isTrue();
      JsonNode pos = p.get("gridPos");
      assertThat(pos.get("x").asInt() + pos.get("w").asInt()).as(p.get("title").asText()).isLessThanOrEqualTo(24);
      if (!p.get("type").asText().equals("row")) {
        assertThat(p.at("/datasource/uid").asText()).as(p.get("title").asText()).isEqualTo("${datasource}");
        assertThat(p.get("targets")).as(p.get("title").asText()).isNotEmpty();
        p.get("targets").forEach(t -> assertThat(t.at("/datasource/uid").asText()).isEqualTo("${datasource}"));
      }
    }
  }

  @Test
  void dashboard_showsIngestRejectsOutboxLastSeenAlarmsBrokerAndJvm() throws IOException {
    Set<String> used = new TreeSet<>();
    dashboardExpressions().forEach(e -> used.addAll(metricNames(e)));

    assertThat(used).containsAll(DASHBOARD_MUST_SHOW);
  }

  @Test
  void dashboard_queriesOnlyMetricsTheGatewayExports() throws IOException {
    Set<String> used = new TreeSet<>();
    dashboardExpressions().forEach(e -> used.addAll(metricNames(e)));

    assertThat(used).isNotEmpty();
    assertExported(used);
  }

  // ---- the alert rules ----

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> rules() throws IOException {
    Map<String, Object> doc = new Yaml().load(Files.readString(ALERTS));
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> group : (List<Map<String, Object>>) doc.get("groups")) {
      out.addAll((List<Map<String, Object>>) group.get("rules"));
    }
    return out;
  }

  @Test
  @SuppressWarnings("unchecked")
  void alerts_coverSilentAgentsGrowingOutboxesBrokerAndNotifications_eachWithSeverityAndSummary()
      throws IOException {
    List<Map<String, Object>> rules = rules();

    assertThat(rules).extracting(r -> r.get("alert")).contains("SangfroidAgentSilent",
        "SangfroidAgentOutboxGrowing", "SangfroidGatewayBrokerDisconnected", "SangfroidNotificationChannelFailing",
        "SangfroidBrokerRefusing")
        .doesNotHaveDuplicates();
    for (Map<String, Object> r : rules) {
      assertThat((String) r.get("expr")).as("%s expr", r.get("alert")).isNotBlank();
      assertThat((Map<String, Object>) r.get("labels")).as("%s", r.get("alert")).containsKey("severity");
      assertThat((Map<String, Object>) r.get("annotations")).as("%s", r.get("alert"))
          .containsKeys("summary", "description");
    }
    Map<String, Object> silent = rules.stream().filter(r -> r.get("alert").equals("SangfroidAgentSilent"))
        .findFirst().orElseThrow();
    assertThat(silent.get("expr")).isEqualTo("sangfroid_agent_last_seen_seconds > 600");
    Map<String, Object> notify = rules.stream()
        .filter(r -> r.get("alert").equals("SangfroidNotificationChannelFailing")).findFirst().orElseThrow();
    assertThat(notify.get("expr").toString()).contains("sangfroid_notify_failed_total");
  }

  @Test
  void alerts_queryOnlyMetricsTheGatewayExports() throws IOException {
    Set<String> used = new TreeSet<>();
    rules().forEach(r -> used.addAll(metricNames((String) r.get("expr"))));

    assertThat(used).contains("sangfroid_agent_last_seen_seconds", "sangfroid_agent_outbox_depth",
        "sangfroid_mqtt_connected", "sangfroid_notify_failed_total");
    assertExported(used);
  }

  @Test
  void alerts_passPromtoolCheckAndTheirUnitTests() throws Exception {
    PackageTools.require("promtool", "prometheus");

    assertThat(run("promtool", "check", "rules", ALERTS.toString())).contains("SUCCESS");
    assertThat(run("promtool", "test", "rules", ALERT_TESTS.toString())).contains("SUCCESS");
  }

  // ---- helpers ----

  private static void assertExported(Set<String> used) {
    Set<String> missing = new TreeSet<>(used);
    missing.removeAll(exported);
    missing.removeAll(NOT_FROM_GATEWAY.keySet());
    assertThat(missing).as("metrics used but not on the gateway's /metrics (it has %s)", exported).isEmpty();
  }

  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern BRACES = Pattern.compile("\\{[^{}]*}");
  private static final Pattern BRACKETS = Pattern.compile("\\[[^\\[\\]]*]");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^()]*\\)");
  private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");

  /** The metric names in a PromQL expression: identifiers that are not functions, labels or keywords. */
  static Set<String> metricNames(String expr) {
    String e = STRING.matcher(expr).replaceAll("\"\"");
    e = BRACES.matcher(e).replaceAll(" ");
    e = BRACKETS.matcher(e).replaceAll(" ");
    e = GROUPING.matcher(e).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(e);
    while (m.find()) {
      String word = m.group(1);
      boolean function = m.group(2) != null;
      if (!function && !PROMQL_WORDS.contains(word.toLowerCase())) {
        names.add(word);
      }
    }
    return names;
  }

  @Test
  void metricNames_skipFunctionsLabelsRangesAndKeywords() {
    assertThat(metricNames("count(a_b{site=~\"$site\"} > 600) or vector(0)")).containsExactly("a_b");
    assertThat(metricNames("sum by (instance, reason) (increase(x_total{i=\"a{b}\"}[$__rate_interval])) > 0"))
        .containsExactly("x_total");
    assertThat(metricNames("deriv(d[30m]) > 0 and d > 100")).containsExactly("d");
    assertThat(metricNames("up{job=\"sangfroid-gateway\"} == 0")).containsExactly("up");
  }

  /** Runs a command in deploy/, returns its output; fails the test when it exits non-zero. */
  static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", String.join(" ", command)).isTrue();
    assertThat(p.exitValue()).as("%s exit code; output:%n%s", String.join(" ", command), out).isZero();
    return out;
  }
}
