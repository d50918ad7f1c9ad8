package org.sangfroid.agent;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.sangfroid.agent.config.AgentConfig;
import org.sangfroid.agent.outbox.Outbox;
import org.sangfroid.agent.publish.MqttPublisher;
import org.sangfroid.agent.sample.Probe;
import org.sangfroid.agent.sample.Sampler;
import org.sangfroid.agent.sensor.Ds18b20Sensor;
import org.sangfroid.agent.sensor.TemperatureSensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge agent: probes → sampler → SQLite outbox → MQTT publisher. The composition root: it
 * builds every part, owns the threads, and stops them in order on {@link #close()}.
 */
public final class EdgeAgent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EdgeAgent.class);

  private final AgentConfig config;
  private final Outbox outbox;
  private final MeterRegistry meters;
  private final ScheduledExecutorService samplerThread;
  private final ExecutorService publisherThread;
  private final Sampler sampler;
  private final MqttPublisher publisher;
  private boolean closed;

  private EdgeAgent(AgentConfig config, Outbox outbox, MeterRegistry meters,
      ScheduledExecutorService samplerThread, ExecutorService publisherThread,
      Sampler sampler, MqttPublisher publisher) {
    this.config = config;
    this.outbox = outbox;
    this.meters = meters;
    this.samplerThread = samplerThread;
    this.publisherThread = publisherThread;
    this.sampler = sampler;
    this.publisher = publisher;
  }

  /**
   * Opens the outbox, starts publishing (connecting in the background, retrying until the
   * broker answers) and starts sampling at once, then every {@code config.tick()}.
   *
   * @param clock the time stamped on readings; {@code Clock.systemUTC()} in production
   * @throws org.sangfroid.agent.outbox.OutboxException if the outbox cannot be opened
   */
  public static EdgeAgent start(AgentConfig config, Clock clock) {
    long startedAt = clock.millis();
    MeterRegistry meters = new SimpleMeterRegistry();
    Outbox outbox = Outbox.open(config.dataDir());
    List<AutoCloseable> opened = new ArrayList<>(List.of(outbox));
    try {
      Gauge.builder("sangfroid.agent.outbox.depth", outbox, Outbox::depth).register(meters);
      MqttPublisher publisher = new MqttPublisher(
          MqttPublisher.Settings.from(config, version(), startedAt), outbox, clock, meters);
      opened.add(0, publisher);
      Sampler sampler = new Sampler(probes(config), outbox, clock, meters, publisher::wake);
      opened.add(0, sampler);
      ExecutorService publisherThread = Executors.newSingleThreadExecutor(named("sangfroid-publisher"));
      opened.add(opened.size() - 1, () -> shutdown(publisherThread));
      ScheduledExecutorService samplerThread =
          Executors.newSingleThreadScheduledExecutor(named("sangfroid-sampler"));
      opened.add(opened.size() - 1, () -> shutdown(samplerThread));
      EdgeAgent agent = new EdgeAgent(config, outbox, meters, samplerThread, publisherThread, sampler, publisher);
      publisher.start(publisherThread);
      sampler.start(samplerThread, config.tick());
      log.info("Edge agent {}/{} {} started: {} probes in {} units every {} s; outbox {} ({} readings waiting)",
          config.site(), config.agent(), version(), config.sensorCount(), config.units().size(),
          config.tick().toSeconds(), outbox.file(), outbox.depth());
      return agent;
    } catch (RuntimeException e) {
      for (AutoCloseable c : opened) {
        try {
          c.close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  private static List<Probe> probes(AgentConfig config) {
    List<Probe> probes = new ArrayList<>();
    for (AgentConfig.Unit unit : config.units()) {
      for (AgentConfig.Sensor s : unit.sensors()) {
        TemperatureSensor sensor = switch (s.type()) {
          case DS18B20 -> new Ds18b20Sensor(config.onewire().path(), s.id());
        };
        probes.add(new Probe(unit.id(), sensor));
      }
    }
    return probes;
  }

  private static ThreadFactory named(String name) {
    return r -> new Thread(r, name);
  }

  /** The agent's version from the jar manifest, or {@code dev} when run from classes. */
  public static String version() {
    String v = EdgeAgent.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** Readings waiting in the outbox for the gateway's ack. */
  public long outboxDepth() {
    return outbox.depth();
  }

  /** The highest sequence number the gateway has acknowledged (0 until the first ack). */
  public long ackedUpTo() {
    return publisher.ackedUpTo();
  }

  /** The outbox file. */
  public Path outboxFile() {
    return outbox.file();
  }

  /** The agent's counters and gauges (readings sampled, published, acked; outbox depth). */
  public MeterRegistry meters() {
    return meters;
  }

  /** The configuration the agent runs with. */
  public AgentConfig config() {
    return config;
  }

  /**
   * Stops sampling (a tick in progress is stored), then publishing (offline status,
   * disconnect), then the threads, then the outbox. Bounded: about 20 s at worst. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    sampler.close();
    publisher.close();
    shutdown(samplerThread);
    shutdown(publisherThread);
    outbox.close();
    log.info("Edge agent {}/{} stopped; {} readings wait in {}", config.site(), config.agent(),
        outbox.depth(), outbox.file());
  }

  private static void shutdown(ExecutorService executor) {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
