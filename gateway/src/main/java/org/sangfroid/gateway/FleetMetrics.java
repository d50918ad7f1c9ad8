package org.sangfroid.gateway;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.sangfroid.gateway.config.Fleet;
import org.sangfroid.gateway.config.GatewayConfig.Agent;
import org.sangfroid.gateway.store.AgentRow;
import org.sangfroid.gateway.store.GatewayStore;

/**
 * Gauges for fleet alerting, read from the store when Prometheus scrapes, for every configured
 * agent (tags {@code site}, {@code agent}):
 *
 * <ul>
 *   <li>{@code sangfroid_agent_last_seen_seconds}: seconds since the gateway last heard from the
 *       agent (a readings batch or a status message), by the gateway's clock; for an agent never
 *       heard from, seconds since this gateway started
 *   <li>{@code sangfroid_agent_online}: 1 when its last status message said online, else 0
 *   <li>{@code sangfroid_agent_outbox_depth}: readings waiting in its outbox, as its last status
 *       message said (agents send one on each connection and every minute); NaN before the first
 *   <li>{@code sangfroid_agent_oldest_unsent_seconds}: how old the oldest reading waiting in its
 *       outbox is (gateway clock minus its measurement time), as its last status said; 0 when the
 *       outbox was empty; NaN when unknown (no status yet, or an agent that does not report it)
 *   <li>{@code sangfroid_agent_readings_dropped_total}: readings it dropped from its full outbox
 *       since that outbox was created, as its last status said; NaN when unknown
 * </ul>
 *
 * and {@code sangfroid_units_in_alarm}, the number of units with an active alarm. One scrape
 * reads the store once: the rows are kept for {@code maxAge} (measured on a monotonic ticker,
 * not on the gateway's clock), while the ages are computed from the clock at each read. The
 * gauges hold this object strongly (Micrometer's default is a weak reference, which would turn
 * them into NaN once nothing else refers to it).
 */
public final class FleetMetrics {
  /** How long one read of the store serves the gauges of a scrape. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(1);

  private final GatewayStore store;
  private final Clock clock;
  private final long startedAt;
  private final long maxAgeNanos;
  private final LongSupplier ticker;
  private Snapshot snapshot;

  private record Snapshot(long takenAt, Map<String, AgentRow> agents, Map<String, AgentRow.OutboxHealth> outboxes,
      int unitsInAlarm) {}

  private FleetMetrics(GatewayStore store, Clock clock, Duration maxAge, LongSupplier ticker) {
    this.store = store;
    this.clock = clock;
    this.startedAt = clock.millis();
    this.maxAgeNanos = maxAge.toNanos();
    this.ticker = ticker;
  }

  /**
   * Registers the gauges of every agent of {@code fleet} and of the units in alarm.
   *
   * @param maxAge how long one read of the store is reused ({@link Duration#ZERO}: every read)
   */
  public static FleetMetrics register(MeterRegistry meters, Fleet fleet, GatewayStore store, Clock clock,
      Duration maxAge) {
    FleetMetrics m = new FleetMetrics(store, clock, maxAge, System::nanoTime);
    for (Agent a : fleet.agents()) {
      String key = key(a.site(), a.id());
      Tags tags = Tags.of("site", a.site(), "agent", a.id());
      Gauge.builder("sangfroid.agent.last.seen", m, x -> x.lastSeenSeconds(key)).tags(tags).baseUnit("seconds")
          .strongReference(true)
          .description("Seconds since the gateway last heard from the agent (since the gateway started, if never)")
          .register(meters);
      Gauge.builder("sangfroid.agent.online", m, x -> x.online(key)).tags(tags).strongReference(true)
          .description("1 when the agent's last status message said online, else 0").register(meters);
      Gauge.builder("sangfroid.agent.outbox.depth", m, x -> x.outboxDepth(key)).tags(tags).strongReference(true)
          .description("Readings waiting in the agent's outbox, as its last birth message (sent on each"
              + " connection) said")
          .register(meters);
      Gauge.builder("sangfroid.agent.oldest.unsent", m, x -> x.oldestUnsentSeconds(key)).tags(tags)
          .baseUnit("seconds").strongReference(true)
          .description("Age of the oldest reading waiting in the agent's outbox, as its last status said (0: empty)")
          .register(meters);
      FunctionCounter.builder("sangfroid.agent.readings.dropped", m, x -> x.dropped(key)).tags(tags)
          .description("Readings the agent dropped from its full outbox since the outbox was created, as its last"
              + " status said")
          .register(meters);
    }
    Gauge.builder("sangfroid.units.in.alarm", m, x -> x.snapshot().unitsInAlarm()).strongReference(true)
        .description("Units with at least one active alarm").register(meters);
    return m;
  }

  private static String key(String site, String agent) {
    return site + "/" + agent;
  }

  private synchronized Snapshot snapshot() {
    long now = ticker.getAsLong();
    if (snapshot == null || now - snapshot.takenAt() >= maxAgeNanos) {
      Map<String, AgentRow> agents = new HashMap<>();
      for (AgentRow r : store.agents()) {
        agents.put(key(r.site(), r.agent()), r);
      }
      Map<String, AgentRow.OutboxHealth> outboxes = new HashMap<>();
      for (AgentRow.OutboxHealth h : store.agentOutboxHealth()) {
        outboxes.put(key(h.site(), h.agent()), h);
      }
      snapshot = new Snapshot(now, agents, outboxes, store.unitsInAlarm().size());
    }
    return snapshot;
  }

  private double lastSeenSeconds(String key) {
    AgentRow row = snapshot().agents().get(key);
    long since = row != null && row.lastSeen().isPresent() ? row.lastSeen().getAsLong() : startedAt;
    return Math.max(0, clock.millis() - since) / 1000.0;
  }

  private double online(String key) {
    AgentRow row = snapshot().agents().get(key);
    return row != null && row.online() ? 1 : 0;
  }

  private double outboxDepth(String key) {
    AgentRow row = snapshot().agents().get(key);
    return row != null && row.outboxDepth().isPresent() ? row.outboxDepth().getAsLong() : Double.NaN;
  }

  private double oldestUnsentSeconds(String key) {
    Snapshot s = snapshot();
    AgentRow row = s.agents().get(key);
    AgentRow.OutboxHealth health = s.outboxes().get(key);
    if (health != null && health.oldestUnsent().isPresent()) {
      return Math.max(0, clock.millis() - health.oldestUnsent().getAsLong()) / 1000.0;
    }
    if (row != null && row.outboxDepth().isPresent() && row.outboxDepth().getAsLong() == 0) {
      return 0;
    }
    return Double.NaN;
  }

  private double dropped(String key) {
    AgentRow.OutboxHealth health = snapshot().outboxes().get(key);
    return health != null && health.dropped().isPresent() ? health.dropped().getAsLong() : Double.NaN;
  }
}
