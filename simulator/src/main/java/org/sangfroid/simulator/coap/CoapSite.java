package org.sangfroid.simulator.coap;

import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.wire.Quality;
import org.sangfroid.simulator.run.SimulatedUnit;
import org.sangfroid.simulator.scenario.Scenario;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scenario's probes as CoAP temperature nodes ({@link CoapTemperatureNode}, one per probe, on
 * one address), driven by the scenario's unit models on a clock, for a real edge agent to observe:
 * the agent reads the scenario's fridges, failures and probe faults as it would wireless nodes.
 * The scenario's time zero is the clock's time at {@link #start}; after the scenario's duration
 * the models stop and the nodes keep their last value.
 *
 * <p>Once per {@link #TICK} of real time, on one thread, the models catch up with the clock and
 * every node gets its probe's reading: a temperature; silence while the probe is disconnected
 * (the node stops answering, and comes back on the same port); an empty SenML pack for the other
 * faults, which an observer must reject. The tick never lets an exception end the schedule and is
 * skipped if the previous one is still running; {@link #close()} stops it (waiting at most
 * {@link #CLOSE_WAIT}) and the nodes. Methods are thread-safe.
 */
public final class CoapSite implements AutoCloseable {
  /** Real time between two ticks. */
  public static final Duration TICK = Duration.ofSeconds(1);
  /** Longest {@link #close()} waits for a running tick. */
  public static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(CoapSite.class);

  private record Node(SimulatedUnit unit, int probe, CoapTemperatureNode node) {}

  private final Scenario scenario;
  private final Clock clock;
  private final long start;
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final List<SimulatedUnit> units;
  private final ScheduledExecutorService scheduler;
  private final ReentrantLock lock = new ReentrantLock();

  private CoapSite(Scenario scenario, Clock clock, InetAddress address, ThreadFactory threads) {
    this.scenario = scenario;
    this.clock = clock;
    this.start = clock.millis();
    this.units = scenario.units().stream().map(u -> new SimulatedUnit(u, scenario.events(), scenario.seed()))
        .toList();
    for (SimulatedUnit u : units) {
      List<Scenario.Probe> probes = u.spec().probes();
      for (int i = 0; i < probes.size(); i++) {
        nodes.put(probes.get(i).id(), new Node(u, i, CoapTemperatureNode.plain(address, clock).start()));
      }
    }
    this.scheduler = Executors.newSingleThreadScheduledExecutor(threads);
  }

  /**
   * Starts a node per probe of {@code scenario} on {@code address} (ephemeral ports), gives each
   * its first reading, then ticks on a thread made by {@code threads}.
   */
  public static CoapSite start(Scenario scenario, Clock clock, InetAddress address, ThreadFactory threads) {
    Checks.requireNonNull("scenario", scenario);
    Checks.requireNonNull("clock", clock);
    Checks.requireNonNull("address", address);
    CoapSite site = new CoapSite(scenario, clock, address, threads);
    try {
      site.update();
    } catch (RuntimeException e) {
      site.close();
      throw e;
    }
    long period = TICK.toMillis();
    site.scheduler.scheduleAtFixedRate(site::tick, period, period, TimeUnit.MILLISECONDS);
    LOG.info("Serving {} CoAP node(s) for scenario '{}'", site.nodes.size(), scenario.name());
    return site;
  }

  /** One tick: never throws, skips if busy. */
  void tick() {
    if (!lock.tryLock()) {
      return;
    }
    try {
      update();
    } catch (Throwable t) { // keep the schedule alive whatever happens
      LOG.warn("CoAP site tick failed; trying again next tick", t);
    } finally {
      lock.unlock();
    }
  }

  private void update() {
    long elapsed = Math.min(Math.max(0, clock.millis() - start), scenario.duration().toMillis());
    for (SimulatedUnit u : units) {
      u.advanceTo(Duration.ofMillis(elapsed));
    }
    Map<SimulatedUnit, List<SimulatedUnit.Reading>> read = new LinkedHashMap<>();
    for (Node n : nodes.values()) {
      SimulatedUnit.Reading r = read.computeIfAbsent(n.unit(), SimulatedUnit::read).get(n.probe());
      if (r.quality() == Quality.DISCONNECTED) {
        n.node().stop();
      } else if (!r.valid()) {
        n.node().start().payload("[]");
      } else {
        n.node().start().temperature(r.celsius());
      }
    }
  }

  /** Each probe's node: its value resource's URI, by probe id, in the scenario's order. */
  public Map<String, URI> nodes() {
    Map<String, URI> out = new LinkedHashMap<>();
    nodes.forEach((probe, n) -> out.put(probe, n.node().uri()));
    return Collections.unmodifiableMap(out);
  }

  /** Stops ticking (waiting at most {@link #CLOSE_WAIT}) and the nodes. Calling it again does nothing. */
  @Override
  public void close() {
    scheduler.shutdown();
    try {
      if (!scheduler.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("CoAP site tick did not stop within {}", CLOSE_WAIT);
        scheduler.shutdownNow();
      }
    } catch (InterruptedException e) {
      scheduler.shutdownNow();
      Thread.currentThread().interrupt();
    }
    nodes.values().forEach(n -> n.node().close());
  }
}
