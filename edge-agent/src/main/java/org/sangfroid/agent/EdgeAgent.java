package org.sangfroid.agent;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.sangfroid.agent.alarm.AlarmGpio;
import org.sangfroid.agent.alarm.AlarmOutput;
import org.sangfroid.agent.alarm.AlarmPanel;
import org.sangfroid.agent.alarm.ConsoleAlarmOutput;
import org.sangfroid.agent.alarm.LocalAlarms;
import org.sangfroid.agent.alarm.SqliteAlarmStateStore;
import org.sangfroid.agent.alarm.pi4j.Pi4jAlarmGpio;
import org.sangfroid.agent.clock.SyncCheck;
import org.sangfroid.agent.clock.TimeBase;
import org.sangfroid.agent.config.AgentConfig;
import org.sangfroid.agent.input.InputEvent;
import org.sangfroid.agent.input.InputGpio;
import org.sangfroid.agent.input.InputWatcher;
import org.sangfroid.agent.input.pi4j.Pi4jPinReader;
import org.sangfroid.agent.outbox.BeyondRules;
import org.sangfroid.agent.outbox.EventOutbox;
import org.sangfroid.agent.outbox.Occurrence;
import org.sangfroid.agent.outbox.Outbox;
import org.sangfroid.agent.publish.MqttPublisher;
import org.sangfroid.agent.sample.Probe;
import org.sangfroid.agent.sample.ProbeStates;
import org.sangfroid.agent.sample.Sampler;
import org.sangfroid.agent.sensor.Ds18b20Sensor;
import org.sangfroid.agent.sensor.TemperatureSensor;
import org.sangfroid.agent.sensor.bus.Buses;
import org.sangfroid.agent.sensor.bus.Pause;
import org.sangfroid.agent.sensor.coap.CoapNode;
import org.sangfroid.agent.sensor.coap.CoapNodes;
import org.sangfroid.agent.sensor.coap.CoapSensor;
import org.sangfroid.agent.sensor.max31865.Max31865Sensor;
import org.sangfroid.agent.sensor.pi4j.Pi4jBuses;
import org.sangfroid.agent.sensor.sht.ShtSensor;
import org.sangfroid.agent.status.AgentMetrics;
import org.sangfroid.agent.status.ProbeReadings;
import org.sangfroid.agent.status.StatusReport;
import org.sangfroid.agent.status.StatusServer;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.excursion.Profile;
import org.sangfroid.core.wire.AgentEvent;
import org.sangfroid.core.wire.AgentStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge agent: probes → sampler → SQLite outbox → MQTT publisher, and beside them the units'
 * inputs and the local alarm → events → the same publisher, ahead of the readings. The
 * composition root: it builds every part, owns the threads, and stops them in order on
 * {@link #close()}.
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
  private final Hardware hardware;
  private final Wireless wireless;
  private final LocalAlarms alarms;
  private final ScheduledExecutorService alarmThread;
  private final Health health;
  private final Events events;
  private boolean closed;
  private final ProbeStates probeStates;
  /** The agent's time. */
  private final Clock clock;
  /** A clock that moves this much (ms) or more at synchronisation restarts the local alarms. */
  private static final long CLOCK_SET = 1_000;

  private EdgeAgent(AgentConfig config, Outbox outbox, MeterRegistry meters,
      ScheduledExecutorService samplerThread, ExecutorService publisherThread,
      Sampler sampler, MqttPublisher publisher, Hardware hardware, Wireless wireless, LocalAlarms alarms,
      ScheduledExecutorService alarmThread, Events events, ProbeStates probeStates, Clock clock, Health health) {
    this.health = health;
    this.events = events;
    this.probeStates = probeStates;
    this.clock = clock;
    this.alarms = alarms;
    this.alarmThread = alarmThread;
    this.config = config;
    this.outbox = outbox;
    this.meters = meters;
    this.samplerThread = samplerThread;
    this.publisherThread = publisherThread;
    this.sampler = sampler;
    this.publisher = publisher;
    this.hardware = hardware;
    this.wireless = wireless;
  }

  /**
   * Opens the outbox, starts publishing (connecting in the background, retrying until the
   * broker answers) and starts sampling at once, then every {@code config.tick()}.
   *
   * @param clock the time stamped on readings; {@code Clock.systemUTC()} in production
   * @throws org.sangfroid.agent.outbox.OutboxException if the outbox cannot be opened
   */
  public static EdgeAgent start(AgentConfig config, Clock clock) {
    // A lambda, not a method reference: Pi4J's classes load only if a probe needs them.
    return start(config, clock, () -> Pi4jBuses.linuxFs(), Pause.SLEEP);
  }

  /**
   * Starts the agent on the device: its readings are stamped by {@code time} (see
   * {@link #systemTime(AgentConfig)}), its probes read through Pi4J's Linux providers.
   */
  public static EdgeAgent start(AgentConfig config, TimeBase time) {
    return start(config, time, () -> Pi4jBuses.linuxFs(), Pause.SLEEP,
        (settings, mute) -> Pi4jAlarmGpio.linuxFs(settings, mute));
  }

  /** The device's time base: the system clock, synchronised as {@code config.clock()} says to check. */
  public static TimeBase systemTime(AgentConfig config) {
    return TimeBase.system(switch (config.clock().sync()) {
      case AUTO -> SyncCheck.auto();
      case TIMESYNCD -> SyncCheck.timesyncd();
      case TIMEDATECTL -> SyncCheck.timedatectl();
      case ALWAYS -> SyncCheck.always();
    });
  }

  /** Starts the agent with the given hardware buses and production GPIO (see below). */
  public static EdgeAgent start(AgentConfig config, Clock clock, Supplier<? extends Buses> buses, Pause pause) {
    // A lambda, not a method reference: Pi4J's classes load only if a pin is configured.
    return start(config, clock, buses, pause, (settings, mute) -> Pi4jAlarmGpio.linuxFs(settings, mute));
  }

  /**
   * Starts the agent with the given hardware (see {@link #start(AgentConfig, Clock)}).
   *
   * @param buses opens the SPI and I2C buses; called at most once, while starting, and only
   *     when a probe of {@code config} sits on SPI or I2C, so DS18B20-only configurations never
   *     touch Pi4J. The agent closes what it returns when it stops.
   * @param pause the wait drivers make while a chip converts; {@link Pause#SLEEP} in production
   * @param gpio opens the alarm buzzer, LED and mute button; called at most once, while starting,
   *     and only when {@code config.localAlarm()} names a pin. If it fails, alarms go to the
   *     console only. The agent closes what it returns when it stops.
   */
  public static EdgeAgent start(AgentConfig config, Clock clock, Supplier<? extends Buses> buses, Pause pause,
      AlarmGpio gpio) {
    // A lambda, not a method reference: Pi4J's classes load only if a unit has an input.
    return start(config, TimeBase.trusting(clock), buses, pause, gpio, pins -> Pi4jPinReader.linuxFs(pins));
  }

  /**
   * Starts the agent with the given hardware (see {@link #start(AgentConfig, Clock, Supplier, Pause,
   * AlarmGpio)}) and input pins.
   *
   * @param inputs opens the units' door, power and agitator pins; called at most once, while
   *     starting, and only when a unit has an input. If it fails, the inputs are not watched (logged
   *     as an error) and the agent runs on. The agent closes what it returns when it stops.
   */
  public static EdgeAgent start(AgentConfig config, Clock clock, Supplier<? extends Buses> buses, Pause pause,
      AlarmGpio gpio, InputGpio inputs) {
    return start(config, TimeBase.trusting(clock), buses, pause, gpio, inputs);
  }

  /** As {@link #start(AgentConfig, TimeBase, Supplier, Pause, AlarmGpio, InputGpio)}, inputs on Linux GPIO. */
  public static EdgeAgent start(AgentConfig config, TimeBase time, Supplier<? extends Buses> buses, Pause pause,
      AlarmGpio gpio) {
    return start(config, time, buses, pause, gpio, pins -> Pi4jPinReader.linuxFs(pins));
  }

  /**
   * Starts the agent with the given time base, hardware and input pins (see {@link
   * #start(AgentConfig, Clock, Supplier, Pause, AlarmGpio, InputGpio)}). Every part runs on the
   * agent's time ({@link TimeBase#clock()}); when {@code time} first finds the clock synchronised,
   * the outbox corrects the readings taken before, and the local alarms start afresh if the clock
   * moved.
   */
  public static EdgeAgent start(AgentConfig config, TimeBase time, Supplier<? extends Buses> buses, Pause pause,
      AlarmGpio gpio, InputGpio inputs) {
    Clock clock = time.clock();
    long startedAt = clock.millis();
    // Served on /metrics by status.PrometheusText (cumulative counters, as Prometheus expects).
    MeterRegistry meters = new SimpleMeterRegistry();
    // The labels the gateway puts on its own sangfroid_agent_* series: the same agent, the same names.
    meters.config().commonTags("site", config.site(), "agent", config.agent());
    Hardware hardware = new Hardware(buses);
    Wireless wireless = new Wireless(clock, meters);
    Outbox outbox = Outbox.open(config.dataDir(), config.outbox().maxReadings(),
        new BeyondRules(config.profiles()), clock);
    List<AutoCloseable> opened = new ArrayList<>(List.of(outbox));
    try {
      opened.add(0, hardware);
      opened.add(0, wireless);
      List<Probe> probes = probes(config, hardware, wireless, pause);
      ProbeStates probeStates = new ProbeStates(probes);
      Gauge.builder("sangfroid.agent.outbox.depth", outbox, Outbox::depth).register(meters);
      FunctionCounter.builder("sangfroid.agent.outbox.dropped", outbox, Outbox::dropped)
          .description("Readings dropped from the full outbox since it was created").register(meters);
      Events events = new Events(config);
      opened.add(0, events);
      Gauge.builder("sangfroid.agent.events.depth", events.outbox, EventOutbox::depth)
          .description("Events waiting for the gateway's ack").register(meters);
      MqttPublisher publisher = new MqttPublisher(
          MqttPublisher.Settings.from(config, version(), startedAt), outbox, events.outbox, clock, meters,
          () -> probeStates.status(clock.millis()));
      events.publisher = publisher;
      opened.add(0, publisher);
      LocalAlarms alarms = localAlarms(config, clock, gpio, events);
      opened.add(0, alarms);
      alarms.reconcile(events.outbox.activeConditions());
      ScheduledExecutorService alarmThread = Executors.newSingleThreadScheduledExecutor(named("sangfroid-alarms"));
      opened.add(1, () -> shutdown(alarmThread));
      events.watch(config, clock, inputs, alarms);
      time.onSynchronised(sync -> {
        if (Math.abs(sync.shift()) >= CLOCK_SET) {
          alarms.clockSet(sync.shift());
        }
        outbox.correctTimes(sync);
      });
      Health health = new Health(config, clock, startedAt, meters);
      opened.add(0, health);
      Sampler sampler = new Sampler(probes, outbox, time, meters, tick -> {
        alarms.onSampled(tick);
        probeStates.update(tick);
        health.probes.onSampled(tick);
      }, publisher::wake);
      opened.add(0, sampler);
      ExecutorService publisherThread = Executors.newSingleThreadExecutor(named("sangfroid-publisher"));
      opened.add(opened.size() - 1, () -> shutdown(publisherThread));
      ScheduledExecutorService samplerThread =
          Executors.newSingleThreadScheduledExecutor(named("sangfroid-sampler"));
      opened.add(opened.size() - 1, () -> shutdown(samplerThread));
      EdgeAgent agent = new EdgeAgent(config, outbox, meters, samplerThread, publisherThread, sampler, publisher,
          hardware, wireless, alarms, alarmThread, events, probeStates, clock, health);
      AgentMetrics.bind(meters, clock, outbox, publisher::isConnected, health.probes, alarms::panel,
          config.profiles().keySet());
      alarms.start(alarmThread);
      events.start();
      wireless.start();
      publisher.start(publisherThread);
      sampler.start(samplerThread, config.tick());
      health.serve(agent::status);
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

  private static List<Probe> probes(AgentConfig config, Hardware hardware, Wireless wireless, Pause pause) {
    List<Probe> probes = new ArrayList<>();
    for (AgentConfig.Unit unit : config.units()) {
      for (AgentConfig.Sensor s : unit.sensors()) {
        probes.add(new Probe(unit.id(), sensor(config, s, hardware, wireless, pause), s.calibration()));
      }
    }
    return probes;
  }

  private static TemperatureSensor sensor(AgentConfig config, AgentConfig.Sensor s, Hardware hardware,
      Wireless wireless, Pause pause) {
    AgentConfig.Driver driver = s.driver();
    if (driver instanceof AgentConfig.Coap coap) {
      return wireless.add(s.id(), coap.node());
    }
    if (driver instanceof AgentConfig.Max31865 m) {
      return new Max31865Sensor(s.id(),
          hardware.buses().spi(m.spi(), Max31865Sensor.SPI_MODE, Max31865Sensor.SPI_CLOCK_HZ), m.settings(), pause);
    }
    if (driver instanceof AgentConfig.Sht sht) {
      return new ShtSensor(s.id(), sht.model(), hardware.buses().i2c(sht.i2c()), pause);
    }
    return new Ds18b20Sensor(config.onewire().path(), s.id());
  }

  /** The local alarm on the console, plus the GPIO pins when configured. */
  private static LocalAlarms localAlarms(AgentConfig config, Clock clock, AlarmGpio gpio, Events events) {
    List<AlarmOutput> outputs = new ArrayList<>(List.of(new ConsoleAlarmOutput()));
    AtomicReference<LocalAlarms> ref = new AtomicReference<>();
    AgentConfig.LocalAlarm settings = config.localAlarm();
    if (settings.usesGpio()) {
      try {
        outputs.add(Checks.requireNonNull("gpio", gpio.open(settings, () -> {
          LocalAlarms a = ref.get();
          if (a != null) {
            a.mutePressed();
          }
        })));
      } catch (RuntimeException | LinkageError e) {
        // The agent must still sample, store and publish; the console keeps the alarm.
        log.error("Alarm GPIO cannot be used ({}); local alarms go to the log only", e.toString());
      }
    }
    LocalAlarms alarms = new LocalAlarms(config.profiles(), clock, settings.mute(), outputs, events::record,
        events.alarmState);
    ref.set(alarms);
    return alarms;
  }

  /**
   * The local endpoint ({@code /metrics}, {@code /status}) and the probes' latest states. The
   * endpoint is optional: when it cannot listen, the agent still samples, stores and sends.
   */
  private static final class Health implements AutoCloseable {
    final ProbeReadings probes;
    final long startedAt;
    final Clock clock;
    private final AgentConfig config;
    private final MeterRegistry meters;
    private StatusServer server;

    Health(AgentConfig config, Clock clock, long startedAt, MeterRegistry meters) {
      this.config = config;
      this.clock = clock;
      this.startedAt = startedAt;
      this.meters = meters;
      List<ProbeReadings.Probe> list = new ArrayList<>();
      for (AgentConfig.Unit u : config.units()) {
        for (AgentConfig.Sensor s : u.sensors()) {
          list.add(new ProbeReadings.Probe(u.id(), s.id(), s.type().key(), s.calibration()));
        }
      }
      this.probes = new ProbeReadings(list);
    }

    void serve(Supplier<StatusReport> status) {
      if (config.metrics().isEmpty()) {
        return;
      }
      InetSocketAddress at = config.metrics().get().address();
      try {
        server = StatusServer.start(at, meters, status);
        log.info("Metrics on {}/metrics, status on {}/status", config.metrics().get().localUrl(),
            config.metrics().get().localUrl());
      } catch (IOException | RuntimeException e) {
        log.error("The metrics and status endpoint cannot listen on {}:{} ({}): Prometheus and"
            + " 'sangfroid-agent status' will not reach this agent. Readings are still taken, stored and sent."
            + " Choose another metrics.port, or stop what uses this one.", config.metrics().get().bind(),
            at.getPort(), e.toString());
      }
    }

    Optional<InetSocketAddress> address() {
      return Optional.ofNullable(server).map(StatusServer::address);
    }

    @Override
    public void close() {
      if (server != null) {
        server.close();
      }
    }
  }

  /**
   * The events' side of the agent: their outbox, the local alarm's saved state (both in the
   * outbox's database), and the units' input pins, watched on a thread of their own.
   */
  private static final class Events implements AutoCloseable {
    final EventOutbox outbox;
    final SqliteAlarmStateStore alarmState;
    /** Set once the publisher exists, before any event can come; woken after each stored event. */
    volatile MqttPublisher publisher;
    private Optional<InputWatcher> watcher = Optional.empty();
    private ScheduledExecutorService inputThread;

    Events(AgentConfig config) {
      this.outbox = EventOutbox.open(config.dataDir());
      try {
        this.alarmState = SqliteAlarmStateStore.open(config.dataDir());
      } catch (RuntimeException e) {
        outbox.close();
        throw e;
      }
    }

    /** Stores {@code o} (one fsync), logs it and wakes the publisher. Never throws: a failure is logged. */
    void record(Occurrence o) {
      OptionalLong seq;
      try {
        seq = outbox.record(o);
      } catch (RuntimeException e) {
        log.error("EVENT NOT STORED, it will not reach the gateway: unit {}: {} at {} ({})", o.unit(), o.describe(),
            Instant.ofEpochMilli(o.time()), e.toString());
        return;
      }
      if (seq.isPresent()) {
        log.warn("EVENT unit {}: {} at {} (event {})", o.unit(), o.describe(), Instant.ofEpochMilli(o.time()),
            seq.getAsLong());
        if (publisher != null) {
          publisher.wake();
        }
      }
    }

    /** Opens the input pins, when a unit has any; without them the inputs are not watched (logged). */
    void watch(AgentConfig config, Clock clock, InputGpio gpio, LocalAlarms alarms) {
      if (!config.usesInputs()) {
        return;
      }
      Map<String, Profile> profiles = config.profiles();
      List<AgentConfig.InputPin> pins = new ArrayList<>();
      for (AgentConfig.Unit u : config.units()) {
        for (AgentConfig.InputPin pin : u.inputs()) {
          pins.add(pin);
          if (profiles.get(u.id()).rule(pin.input().kind()).isEmpty()) {
            log.info("Unit {} has a {} input but its profile {} has no {} rule: its changes are recorded and sent,"
                + " and raise no alarm", u.id(), pin.key(), u.profile(), pin.input().kind());
          }
        }
      }
      try {
        watcher = Optional.of(new InputWatcher(config.units(), Checks.requireNonNull("inputs", gpio.open(pins)), clock,
            event -> onInput(event, alarms)));
      } catch (RuntimeException | LinkageError e) {
        // The agent must still sample, store and publish; the temperatures keep their alarms.
        log.error("INPUTS NOT WATCHED: the GPIO input pins cannot be used ({}); doors, mains power and agitators"
            + " are not monitored by this agent", e.toString());
      }
    }

    private void onInput(InputEvent e, LocalAlarms alarms) {
      AgentEvent.Type type = switch (e.pin().input()) {
        case DOOR_OPEN -> AgentEvent.Type.DOOR_OPEN;
        case POWER_LOST -> AgentEvent.Type.POWER_LOST;
        case AGITATOR_STOPPED -> AgentEvent.Type.AGITATOR_STOPPED;
      };
      // Stored first: the record of what happened must not wait for the alarm it may raise.
      record(Occurrence.of(e.time(), e.unit(), type, e.active()));
      alarms.onInput(e.unit(), e.change());
    }

    void start() {
      watcher.ifPresent(w -> {
        inputThread = Executors.newSingleThreadScheduledExecutor(named("sangfroid-inputs"));
        w.start(inputThread);
      });
    }

    /** The input pins, if watched, for status and tests. */
    boolean watching() {
      return watcher.isPresent();
    }

    /** Stops watching the inputs. */
    void stopInputs() {
      watcher.ifPresent(InputWatcher::close);
      if (inputThread != null) {
        shutdown(inputThread);
      }
    }

    @Override
    public void close() {
      stopInputs();
      alarmState.close();
      outbox.close();
    }
  }

  /** Events waiting in the outbox for the gateway's ack. */
  public long eventsWaiting() {
    return events.outbox.depth();
  }

  /** The highest event seq the outbox ever gave (0 if none). */
  public long lastEventSeq() {
    return events.outbox.lastSeq();
  }

  /** The highest event seq the gateway has acknowledged (0 until the first ack). */
  public long ackedEventsUpTo() {
    return publisher.ackedEventsUpTo();
  }

  /** True when the units' input pins are watched. */
  public boolean watchingInputs() {
    return events.watching();
  }

  /** The agent's state now: outbox, connection, probes, local alarm (served on {@code /status}). */
  public StatusReport status() {
    return StatusReport.of(config.site(), config.agent(), version(), health.startedAt, health.clock, outbox,
        publisher.ackedUpTo(), new StatusReport.Connection(config.broker().url(), publisher.isConnected(),
            publisher.connectProblem().orElse(null)), health.probes, alarms.panel());
  }

  /** Where {@code /metrics} and {@code /status} are served; empty without the metrics section or when it failed. */
  public Optional<InetSocketAddress> statusAddress() {
    return health.address();
  }

  /** What the local alarm shows now (for status and tests). */
  public AlarmPanel localAlarm() {
    return alarms.panel();
  }

  /** The SPI and I2C buses, opened on first use only. */
  private static final class Hardware implements AutoCloseable {
    private final Supplier<? extends Buses> factory;
    private Buses buses;

    Hardware(Supplier<? extends Buses> factory) {
      this.factory = Checks.requireNonNull("buses", factory);
    }

    Buses buses() {
      if (buses == null) {
        try {
          buses = Checks.requireNonNull("buses", factory.get());
        } catch (RuntimeException | LinkageError e) {
          // Without SPI/I2C the other probes must still be read: those on the buses read disconnected.
          log.error("SPI and I2C cannot be used ({}); probes on them will read disconnected", e.toString());
          buses = Buses.unavailable("SPI and I2C cannot be used: " + e.getMessage());
        }
      }
      return buses;
    }

    @Override
    public void close() {
      if (buses != null) {
        buses.close();
      }
    }
  }

  /** The CoAP endpoints of the wireless nodes, opened only when a probe is a CoAP node. */
  private static final class Wireless implements AutoCloseable {
    private final Clock clock;
    private final MeterRegistry meters;
    private CoapNodes nodes;

    Wireless(Clock clock, MeterRegistry meters) {
      this.clock = clock;
      this.meters = meters;
    }

    CoapSensor add(String id, CoapNode node) {
      if (nodes == null) {
        nodes = new CoapNodes(clock, meters);
      }
      return nodes.add(id, node);
    }

    /** Starts observing the nodes; returns at once (the first tick may find them not yet heard). */
    void start() {
      if (nodes != null) {
        nodes.start();
      }
    }

    @Override
    public void close() {
      if (nodes != null) {
        nodes.close();
      }
    }
  }

  private static ThreadFactory named(String name) {
    return r -> new Thread(r, name);
  }

  /** The agent's version from the jar manifest, or {@code dev} when run from classes. */
  public static String version() {
    String v = EdgeAgent.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** Each probe as the status shows it now: last quality, calibration due, overdue. */
  public List<AgentStatus.Probe> probes() {
    return probeStates.status(clock.millis());
  }

  /** Readings waiting in the outbox for the gateway's ack. */
  public long outboxDepth() {
    return outbox.depth();
  }

  /** Readings dropped from the full outbox since it was created. */
  public long droppedReadings() {
    return outbox.dropped();
  }

  /** The highest sequence number the outbox ever gave a reading (0 if none). */
  public long lastSeq() {
    return outbox.lastSeq();
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
   * Stops sampling (a tick in progress is stored) and watching the inputs, then the local alarm
   * (its state saved), then publishing (offline status, disconnect), then the threads, then the
   * SPI/I2C buses and the CoAP endpoints, then the events and the outbox. Bounded: about 30 s at worst. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    health.close();  // first: the endpoint reads the parts closed below
    sampler.close();
    events.stopInputs();
    alarms.close();
    shutdown(alarmThread);
    publisher.close();
    shutdown(samplerThread);
    shutdown(publisherThread);
    hardware.close();
    wireless.close();
    events.close();
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
