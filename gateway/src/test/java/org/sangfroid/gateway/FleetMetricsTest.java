package org.sangfroid.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sangfroid.gateway.Fixtures.AGENT;
import static org.sangfroid.gateway.Fixtures.FRIDGE;
import static org.sangfroid.gateway.Fixtures.OTHER_AGENT;
import static org.sangfroid.gateway.Fixtures.SITE;
import static org.sangfroid.gateway.Fixtures.T0;
import static org.sangfroid.gateway.Fixtures.batch;
import static org.sangfroid.gateway.Fixtures.reading;
import static org.sangfroid.gateway.Fixtures.readingsTopic;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.core.wire.AgentStatus;
import org.sangfroid.core.wire.Topics;
import org.sangfroid.core.wire.WireCodec;
import org.sangfroid.gateway.alarm.AlarmBook;
import org.sangfroid.gateway.config.Fleet;
import org.sangfroid.gateway.ingest.Ingest;
import org.sangfroid.gateway.ingest.IngestResult;
import org.sangfroid.gateway.store.GatewayStore;

class FleetMetricsTest {
  @TempDir Path dir;

  private final MutableClock clock = new MutableClock(T0);
  private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private GatewayStore store;
  private Ingest ingest;

  @BeforeEach
  void start() {
    Fleet fleet = Fixtures.config(dir).fleet();
    store = GatewayStore.open(dir.resolve("gateway.db"));
    ingest = new Ingest(fleet, store, new AlarmBook(meters), meters, clock);
    FleetMetrics.register(meters, fleet, store, clock, Duration.ZERO);
  }

  @AfterEach
  void stop() {
    store.close();
    meters.close();
  }

  /** The scrape's sample lines for {@code metric}, e.g. {@code name{agent="a",site="s"} 1.0}. */
  private List<String> samples(String metric) {
    return Arrays.stream(meters.scrape().split("\n"))
        .filter(l -> l.startsWith(metric + "{") || l.startsWith(metric + " "))
        .toList();
  }

  private static String agent(String metric, String agent, String value) {
    return metric + "{agent=\"" + agent + "\",site=\"" + SITE + "\"} " + value;
  }

  private void status(AgentStatus s) {
    assertThat(ingest.accept(Topics.agent(SITE, AGENT, Topics.Kind.STATUS), WireCodec.encode(s)))
        .isInstanceOf(IngestResult.StatusRecorded.class);
  }

  @Test
  void agentsNeverHeardFrom_areSilentSinceTheGatewayStartedOfflineWithoutOutbox() {
    clock.advance(Duration.ofSeconds(90));

    assertThat(samples("sangfroid_agent_last_seen_seconds")).containsExactlyInAnyOrder(
        agent("sangfroid_agent_last_seen_seconds", AGENT, "90.0"),
        agent("sangfroid_agent_last_seen_seconds", OTHER_AGENT, "90.0"));
    assertThat(samples("sangfroid_agent_online")).contains(agent("sangfroid_agent_online", AGENT, "0.0"));
    assertThat(samples("sangfroid_agent_outbox_depth")).contains(agent("sangfroid_agent_outbox_depth", AGENT, "NaN"));
    assertThat(samples("sangfroid_units_in_alarm")).containsExactly("sangfroid_units_in_alarm 0.0");
  }

  @Test
  void gauges_keepTheirValues_whenNothingElseRefersToTheMetrics() {
    // Micrometer holds a gauge's object weakly by default; a collected one reads NaN. The
    // collection is only requested here, so this can miss a regression but never flags a good state.
    System.gc();

    assertThat(samples("sangfroid_units_in_alarm")).containsExactly("sangfroid_units_in_alarm 0.0");
    assertThat(samples("sangfroid_agent_online")).contains(agent("sangfroid_agent_online", AGENT, "0.0"));
  }

  @Test
  void birthMessage_setsOnlineAndOutboxDepth_andLastSeenCountsFromIt() {
    clock.advance(Duration.ofMinutes(5));
    status(new AgentStatus(true, "0.1.0", T0.toEpochMilli(), 1234));
    clock.advance(Duration.ofSeconds(42));

    assertThat(samples("sangfroid_agent_last_seen_seconds"))
        .contains(agent("sangfroid_agent_last_seen_seconds", AGENT, "42.0"))
        .contains(agent("sangfroid_agent_last_seen_seconds", OTHER_AGENT, "342.0"));
    assertThat(samples("sangfroid_agent_online")).containsExactlyInAnyOrder(
        agent("sangfroid_agent_online", AGENT, "1.0"), agent("sangfroid_agent_online", OTHER_AGENT, "0.0"));
    assertThat(samples("sangfroid_agent_outbox_depth"))
        .contains(agent("sangfroid_agent_outbox_depth", AGENT, "1234.0"));
  }

  /** Issue 3: the agent's outbox health, from its status, for alerting. */
  @Test
  void statusWithOutboxHealth_setsDroppedAndOldestUnsentAge() {
    assertThat(samples("sangfroid_agent_readings_dropped_total"))
        .contains(agent("sangfroid_agent_readings_dropped_total", AGENT, "NaN"));
    assertThat(samples("sangfroid_agent_oldest_unsent_seconds"))
        .contains(agent("sangfroid_agent_oldest_unsent_seconds", AGENT, "NaN"));

    status(new AgentStatus(true, "0.2.0", T0.toEpochMilli(), 350_000,
        OptionalLong.of(T0.toEpochMilli() - 3_600_000), OptionalLong.of(1200)));
    clock.advance(Duration.ofSeconds(30));

    assertThat(samples("sangfroid_agent_readings_dropped_total")).containsExactlyInAnyOrder(
        agent("sangfroid_agent_readings_dropped_total", AGENT, "1200.0"),
        agent("sangfroid_agent_readings_dropped_total", OTHER_AGENT, "NaN"));
    assertThat(samples("sangfroid_agent_oldest_unsent_seconds"))
        .contains(agent("sangfroid_agent_oldest_unsent_seconds", AGENT, "3630.0"));
    assertThat(samples("sangfroid_agent_outbox_depth"))
        .contains(agent("sangfroid_agent_outbox_depth", AGENT, "350000.0"));

    status(new AgentStatus(true, "0.2.0", T0.toEpochMilli(), 0, OptionalLong.empty(), OptionalLong.of(1200)));
    status(AgentStatus.lastWill());

    assertThat(samples("sangfroid_agent_oldest_unsent_seconds"))
        .as("an empty outbox has nothing waiting").contains(agent("sangfroid_agent_oldest_unsent_seconds", AGENT, "0.0"));
    assertThat(samples("sangfroid_agent_readings_dropped_total"))
        .as("the last will keeps the last count").contains(agent("sangfroid_agent_readings_dropped_total", AGENT, "1200.0"));
  }

  @Test
  void lastWill_setsOffline_keepsTheLastKnownOutboxDepth() {
    status(new AgentStatus(true, "0.1.0", T0.toEpochMilli(), 7));
    clock.advance(Duration.ofMinutes(1));
    status(AgentStatus.lastWill());
    clock.advance(Duration.ofMinutes(11));

    assertThat(samples("sangfroid_agent_online")).contains(agent("sangfroid_agent_online", AGENT, "0.0"));
    assertThat(samples("sangfroid_agent_outbox_depth")).contains(agent("sangfroid_agent_outbox_depth", AGENT, "7.0"));
    assertThat(samples("sangfroid_agent_last_seen_seconds"))
        .contains(agent("sangfroid_agent_last_seen_seconds", AGENT, "660.0"));
  }

  @Test
  void readingsBatch_counts_asHeardFrom_andAnAlarmCountsItsUnit() {
    clock.advance(Duration.ofMinutes(7));
    assertThat(ingest.accept(readingsTopic(), batch(reading(1, 0, FRIDGE, 7.0), reading(2, 6, FRIDGE, 7.5))))
        .isInstanceOf(IngestResult.Stored.class);
    clock.advance(Duration.ofSeconds(3));

    assertThat(samples("sangfroid_agent_last_seen_seconds"))
        .contains(agent("sangfroid_agent_last_seen_seconds", AGENT, "3.0"));
    assertThat(samples("sangfroid_units_in_alarm")).containsExactly("sangfroid_units_in_alarm 1.0");
  }
}
