package org.sangfroid.simulator.run;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.excursion.InputChange;
import org.sangfroid.core.excursion.Rule;
import org.sangfroid.core.wire.AgentEvent;
import org.sangfroid.simulator.report.Matching;
import org.sangfroid.simulator.report.RaisedAlarm;
import org.sangfroid.simulator.report.RunReport;
import org.sangfroid.simulator.scenario.Event;
import org.sangfroid.simulator.scenario.Scenario;
import org.sangfroid.simulator.thermal.Defrost;
import org.sangfroid.simulator.virtual.Measurement;
import org.sangfroid.simulator.virtual.VirtualAgent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a scenario against a real gateway on a virtual clock, step by step:
 *
 * <ol>
 *   <li>the clock moves to the step's time and every unit's model catches up;
 *   <li>each virtual agent that is up takes its units' readings (and door, power, agitator
 *       changes as events), stamped by its own clock (behind while unsynchronised);
 *   <li>each agent whose network is up publishes what it never sent, and the runner waits until
 *       the gateway has acknowledged it (sending everything unacknowledged again after
 *       {@link #ACK_WAIT}, as a real agent does);
 *   <li>on tick steps the gateway's engine tick runs at the step's time.
 * </ol>
 *
 * <p>Nothing in the models reads a clock or draws from an unseeded source, and each step waits for
 * the gateway, so the same scenario and seed give the same reading batches, byte for byte
 * ({@link RunReport#readingsSha256()}), however fast the machine.
 */
public final class ScenarioRunner {
  /** How long the runner waits for the gateway's ack before sending again. */
  public static final Duration ACK_WAIT = Duration.ofSeconds(10);
  /** Sends before the run gives up on an agent's readings. */
  static final int ACK_TRIES = 3;
  /** How long the first events wait for an ack before the gateway is taken not to handle events. */
  static final Duration EVENTS_PROBE = Duration.ofSeconds(1);
  /** Agents connecting at once. */
  static final int CONNECT_THREADS = 8;

  private static final Logger LOG = LoggerFactory.getLogger(ScenarioRunner.class);
  private static final InputChange.Input[] INPUTS = InputChange.Input.values();

  /** Told after each step; for a progress bar. */
  public interface Progress {
    /** Step {@code step} of {@code steps} (both counted from 0) is done. */
    void step(long step, long steps);

    /**
     * The gateway's engine tick of a step, which runs on the runner's thread just before that
     * step's {@link #step}, took {@code cpu} of the thread's CPU time (zero when the JVM does not
     * measure it): a bench tells it apart from the simulator's own work.
     */
    default void ticked(Duration cpu) {}
  }

  /**
   * How to run.
   *
   * @param pacer how fast virtual time may go
   * @param progress told after each step
   * @param traces whether to read every unit's stored readings back for the charts (a fleet
   *     bench does not)
   * @param digest whether to compute the SHA-256 of the reading batches for the report (a fleet
   *     bench, which does not report it, spares that CPU time; the batches are the same either way)
   * @param inFlight how many steps with sends may wait for the gateway's acks at once. 1 (scenario
   *     runs): each send is acked before the virtual clock moves on, so the gateway stores and
   *     evaluates every reading at once and alarms carry exact times. More (a fleet bench): the
   *     agents keep sending while earlier batches are on their way, as real agents do (the edge agent
   *     keeps up to 20 batches in flight), and the gateway may store a reading a few sends after it
   *     was taken. Either way, everything sent is acked before each engine tick
   */
  public record Options(Pacer pacer, Progress progress, boolean traces, boolean digest, int inFlight) {
    public Options {
      Checks.require(inFlight >= 1, "inFlight", inFlight, "be at least 1");
    }

    /** As fast as possible, no progress, with traces and the digest, each step waiting for its acks. */
    public static Options defaults() {
      return new Options(Pacer.asFastAsPossible(), (step, steps) -> { }, true, true, 1);
    }

    /** A copy with another pacer. */
    public Options withPacer(Pacer p) {
      return new Options(p, progress, traces, digest, inFlight);
    }

    /** A copy with another progress listener. */
    public Options withProgress(Progress p) {
      return new Options(pacer, p, traces, digest, inFlight);
    }

    /** A copy with or without traces. */
    public Options withTraces(boolean t) {
      return new Options(pacer, progress, t, digest, inFlight);
    }

    /** A copy with or without the readings' digest. */
    public Options withDigest(boolean d) {
      return new Options(pacer, progress, traces, d, inFlight);
    }

    /** A copy where up to {@code sends} steps' sends may wait for their acks at once. */
    public Options withInFlight(int sends) {
      return new Options(pacer, progress, traces, digest, sends);
    }
  }

  private enum EventsState { UNKNOWN, HANDLED, IGNORED }

  /** What an agent had sent at a step: the gateway's ack must reach {@code upTo}. */
  private record Sent(AgentRun agent, long upTo) {}

  /** One step of the models, ready for the agents. */
  private record Tick(long k, Duration elapsed, List<AgentTick> agents) {}

  /** What one agent takes at a step; {@code up} false while it is down (crashed). */
  private record AgentTick(AgentRun agent, boolean up, List<Measurement> readings, List<AgentEvent> events) {}

  private final String brokerUrl;
  private final LongSupplier nanoTime;

  /**
   * @param brokerUrl the broker the gateway and the virtual agents use (the gateway's is embedded
   *     in another process, or started by the caller)
   * @param nanoTime real time, only to measure how long the run took
   */
  public ScenarioRunner(String brokerUrl, LongSupplier nanoTime) {
    this.brokerUrl = Checks.requireNonNull("brokerUrl", brokerUrl);
    this.nanoTime = Checks.requireNonNull("nanoTime", nanoTime);
  }

  /**
   * Runs {@code scenario} with a gateway whose configuration and database go to {@code dir}
   * (created; it must not hold an earlier run's database).
   *
   * @param source the scenario file, for the report ("" when built in code)
   * @throws RunException when the run cannot be carried out (the gateway does not acknowledge, the
   *     broker is gone); a run that shows wrong alarms is a report, not an exception
   */
  public RunReport run(Scenario scenario, String source, Path dir, Options options) {
    try {
      Files.createDirectories(dir);
      if (Files.exists(dir.resolve("gateway-data"))) {
        throw new RunException(dir.resolve("gateway-data") + " holds an earlier run's database: use a new folder.");
      }
      return new Run(scenario, source, dir, options).execute();
    } catch (IOException e) {
      throw new RunException("The run's files in " + dir + " cannot be written: " + e.getMessage(), e);
    } catch (MqttException e) {
      throw new RunException("The MQTT broker " + brokerUrl + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RunException("The run was interrupted", e);
    }
  }

  /** One agent of the run with its units and what it last reported of their inputs. */
  private record AgentRun(Scenario.Agent spec, VirtualAgent agent, List<SimulatedUnit> units, List<Event> events,
      Map<String, EnumMap<InputChange.Input, Boolean>> reported, long publishEvery) {

    boolean crashed(Duration e) {
      return events.stream().anyMatch(ev -> ev instanceof Event.AgentCrash && ev.activeAt(e));
    }

    boolean offline(Duration e) {
      return events.stream().anyMatch(ev -> ev instanceof Event.NetworkLoss && ev.activeAt(e));
    }

    /** How far behind the agent's clock is at {@code e} (zero when synchronised). */
    Duration behind(Duration e) {
      Duration behind = Duration.ZERO;
      for (Event ev : events) {
        if (ev instanceof Event.ClockUnsynced c && c.activeAt(e)) {
          behind = c.behind();
        }
      }
      return behind;
    }
  }

  private final class Run {
    private final Scenario s;
    private final String source;
    private final Path dir;
    private final Options options;
    private final VirtualClock clock;
    private final MessageDigest digest;
    private final Consumer<byte[]> sent;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final List<AgentRun> agents = new ArrayList<>();
    private final Map<String, long[]> timeRange = new LinkedHashMap<>();
    private EventsState events = EventsState.UNKNOWN;

    Run(Scenario s, String source, Path dir, Options options) {
      this.s = s;
      this.source = source;
      this.dir = dir;
      this.options = options;
      this.clock = new VirtualClock(s.start());
      try {
        this.digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("Every Java has SHA-256", e);
      }
      this.sent = options.digest() ? digest::update : payload -> { };
    }

    RunReport execute() throws IOException, MqttException, InterruptedException {
      long began = nanoTime.getAsLong();
      try (SimulationGateway gateway = SimulationGateway.start(s, dir, brokerUrl, clock)) {
        try {
          for (Scenario.Agent a : s.agents()) {
            List<SimulatedUnit> units = a.units().stream().map(u -> new SimulatedUnit(u, s.events(), s.seed()))
                .toList();
            List<Event> own = s.events().stream().filter(e -> agentOf(e).filter(a.id()::equals).isPresent()).toList();
            Map<String, EnumMap<InputChange.Input, Boolean>> reported = new LinkedHashMap<>();
            a.units().forEach(u -> reported.put(u.id(), new EnumMap<>(InputChange.Input.class)));
            VirtualAgent agent = new VirtualAgent(brokerUrl, a.site(), a.id(), a.outbox(), a.batchSize());
            long every = a.publishEvery().orElse(s.step()).toMillis() / s.step().toMillis();
            agents.add(new AgentRun(a, agent, units, own, reported, every));
          }
          connectAll();
          long loop = nanoTime.getAsLong();
          Duration setup = Duration.ofNanos(loop - began);
          long steps = s.steps();
          long ticksEvery = s.tick().toMillis() / s.step().toMillis();
          Tick next = prepare(0, null, Duration.ZERO);
          // The sends not yet acked, oldest first: each step's agents and how far each sent.
          ArrayDeque<List<Sent>> unacked = new ArrayDeque<>();
          for (long k = 0; k <= steps; k++) {
            Tick tick = next;
            clock.set(s.start().plus(tick.elapsed()).toEpochMilli());
            List<AgentRun> published = commit(tick, steps);
            if (!published.isEmpty()) {
              unacked.addLast(published.stream().map(a -> new Sent(a, a.agent().sentUpTo())).toList());
            }
            // The models' next step needs neither the clock nor the gateway: work it out meanwhile.
            next = k < steps ? prepare(k + 1, tick.elapsed(), s.step().multipliedBy(k + 1)) : null;
            boolean ticks = k % ticksEvery == 0 || k == steps;
            // Before a tick, everything sent is stored: the engine judges "monitoring lost" on the
            // virtual clock, and a reading still on its way is not a lost one.
            while (unacked.size() >= options.inFlight() || (ticks && !unacked.isEmpty())) {
              for (Sent sent : unacked.removeFirst()) {
                awaitAcks(sent.agent(), sent.upTo());
              }
            }
            if (ticks) {
              long before = threadCpu();
              gateway.tick();
              options.progress().ticked(Duration.ofNanos(Math.max(0, threadCpu() - before)));
            }
            options.progress().step(k, steps);
            options.pacer().pace(tick.elapsed());
          }
          Duration wall = Duration.ofNanos(nanoTime.getAsLong() - loop);
          return report(gateway, setup, wall);
        } finally {
          agents.forEach(a -> a.agent().close());
        }
      }
    }

    /** This thread's CPU time, ns; 0 when the JVM does not measure it. */
    private long threadCpu() {
      return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : 0;
    }

    private static Optional<String> agentOf(Event e) {
      if (e instanceof Event.NetworkLoss n) {
        return Optional.of(n.agent());
      } else if (e instanceof Event.AgentCrash c) {
        return Optional.of(c.agent());
      } else if (e instanceof Event.ClockUnsynced c) {
        return Optional.of(c.agent());
      }
      return Optional.empty();
    }

    /**
     * Connects the agents, a few at a time: a connection takes a few hundred milliseconds, and a
     * fleet has hundreds of agents.
     */
    private void connectAll() throws MqttException, InterruptedException {
      int threads = Math.min(CONNECT_THREADS, Math.max(1, agents.size()));
      ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
        Thread t = new Thread(r, "sangfroid-sim-connect");
        t.setDaemon(true);
        return t;
      });
      try {
        List<Future<?>> done = new ArrayList<>();
        for (AgentRun a : agents) {
          done.add(pool.submit(() -> {
            a.agent().connect(s.start().toEpochMilli());
            return null;
          }));
        }
        for (Future<?> f : done) {
          try {
            f.get();
          } catch (ExecutionException e) {
            if (e.getCause() instanceof MqttException m) {
              throw m;
            }
            throw new RunException("An agent could not connect: " + e.getCause(), e.getCause());
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }

    /**
     * Step {@code k} as the models see it: each agent's readings and input changes, from the
     * models and the timeline alone (no clock, no agent state), so it can be worked out while the
     * gateway still stores the step before. {@code previous} is null at step 0.
     */
    private Tick prepare(long k, Duration previous, Duration elapsed) {
      long now = s.start().plus(elapsed).toEpochMilli();
      List<AgentTick> out = new ArrayList<>(agents.size());
      for (AgentRun a : agents) {
        for (SimulatedUnit u : a.units()) {
          u.advanceTo(elapsed);
        }
        if (a.crashed(elapsed)) {
          out.add(new AgentTick(a, false, List.of(), List.of()));
          continue;
        }
        Duration behind = a.behind(elapsed);
        boolean synced = behind.isZero();
        List<AgentEvent> changes = inputs(a, previous, elapsed);
        List<Measurement> readings = new ArrayList<>();
        long t = now - behind.toMillis();
        for (SimulatedUnit u : a.units()) {
          for (SimulatedUnit.Reading r : u.read()) {
            readings.add(new Measurement(t, u.spec().id(), r.sensor(), r.celsius(), r.quality(), synced,
                u.excursion(r)));
          }
          if (options.traces()) {
            long[] range = timeRange.computeIfAbsent(u.spec().id(), id -> new long[] {t, t});
            range[0] = Math.min(range[0], t);
            range[1] = Math.max(range[1], t);
          }
        }
        out.add(new AgentTick(a, true, readings, changes));
      }
      return new Tick(k, elapsed, out);
    }

    /** Hands a prepared step to the agents, which publish if it is their time and their network is up. */
    private List<AgentRun> commit(Tick tick, long steps) throws MqttException {
      List<AgentRun> published = new ArrayList<>();
      for (AgentTick t : tick.agents()) {
        if (!t.up()) {
          continue;
        }
        AgentRun a = t.agent();
        for (AgentEvent e : t.events()) {
          a.agent().event(e.time(), e.unit(), e.type(), e.active(), e.clockSynced());
        }
        a.agent().take(t.readings());
        boolean due = tick.k() % a.publishEvery() == 0 || tick.k() == steps;
        if (due && !a.offline(tick.elapsed()) && a.agent().flush(sent)) {
          published.add(a);
        }
      }
      return published;
    }

    /** The door, power and agitator changes of {@code a}'s units since the last step (seq 1: numbered by the agent). */
    private List<AgentEvent> inputs(AgentRun a, Duration previous, Duration elapsed) {
      List<AgentEvent> out = new ArrayList<>(0);
      for (SimulatedUnit u : a.units()) {
        if (!u.hasInputs()) {
          continue; // nothing ever opens, cuts or stops: nothing to report
        }
        EnumMap<InputChange.Input, Boolean> last = a.reported().get(u.spec().id());
        for (Duration edge : u.inputEdges()) {
          boolean inWindow = previous == null ? edge.compareTo(elapsed) <= 0
              : edge.compareTo(previous) > 0 && edge.compareTo(elapsed) <= 0;
          if (inWindow && !a.crashed(edge)) {
            report(a, u, last, edge, out);
          }
        }
        report(a, u, last, elapsed, out); // what it sees at a restart after a crash
      }
      return out;
    }

    private void report(AgentRun a, SimulatedUnit u, EnumMap<InputChange.Input, Boolean> last, Duration at,
        List<AgentEvent> out) {
      for (InputChange.Input input : INPUTS) {
        boolean active = u.inputActive(input, at);
        if (active != last.getOrDefault(input, false)) {
          last.put(input, active);
          Duration behind = a.behind(at);
          out.add(new AgentEvent(1, s.start().plus(at).minus(behind).toEpochMilli(), u.spec().id(),
              AgentEvent.Type.valueOf(input.name()), active, "", behind.isZero()));
        }
      }
    }

    /** Waits until the gateway has acked {@code a}'s readings up to {@code upTo}, sending them again after a silence. */
    private void awaitAcks(AgentRun a, long upTo) throws MqttException, InterruptedException {
      VirtualAgent agent = a.agent();
      if (events == EventsState.UNKNOWN && !agent.eventsAcked()) {
        boolean handled = agent.awaitAcked(upTo, EVENTS_PROBE, true);
        events = handled ? EventsState.HANDLED : EventsState.IGNORED;
        if (!handled) {
          LOG.debug("The gateway did not acknowledge agent events within {} s: door, power and agitator alarms are"
              + " reported as pending", EVENTS_PROBE.toSeconds());
        }
      }
      if (events == EventsState.IGNORED) {
        agent.forgetEvents();
      }
      boolean withEvents = events == EventsState.HANDLED;
      for (int attempt = 1; !agent.awaitAcked(upTo, ACK_WAIT, withEvents); attempt++) {
        if (attempt == ACK_TRIES) {
          throw new RunException("The gateway did not acknowledge the readings of agent " + a.spec().site() + "/"
              + a.spec().id() + " (acknowledged up to seq " + agent.ackedUpTo() + ") after " + ACK_TRIES
              + " sends, " + ACK_WAIT.toSeconds() + " s apart, at simulated time " + clock.instant());
        }
        LOG.warn("No ack from the gateway for agent {}/{} within {} s; sending again", a.spec().site(),
            a.spec().id(), ACK_WAIT.toSeconds());
        agent.resend();
      }
    }

    private RunReport report(SimulationGateway gateway, Duration setup, Duration wall)
        throws IOException, InterruptedException {
      List<RaisedAlarm> raised = gateway.api().alarms();
      Matching matching = Matching.of(s, raised, events != EventsState.IGNORED);
      long taken = 0;
      long sent = 0;
      long dropped = 0;
      long unsent = 0;
      long resends = 0;
      long eventCount = 0;
      for (AgentRun a : agents) {
        taken += a.agent().taken();
        sent += a.agent().sent();
        dropped += a.agent().dropped();
        unsent += a.agent().depth();
        resends += a.agent().resends();
        eventCount += a.agent().eventsTaken();
      }
      RunReport.Counts counts = new RunReport.Counts(taken, sent, gateway.stored(), dropped, unsent, resends,
          eventCount);
      List<RunReport.UnitTrace> traces = new ArrayList<>();
      if (options.traces()) {
        for (AgentRun a : agents) {
          for (SimulatedUnit u : a.units()) {
            traces.add(trace(gateway, a, u, raised));
          }
        }
      }
      return new RunReport(s, source, matching, counts,
          options.digest() ? HexFormat.of().formatHex(digest.digest()) : "",
          events != EventsState.IGNORED, setup, wall, traces);
    }

    private RunReport.UnitTrace trace(SimulationGateway gateway, AgentRun a, SimulatedUnit u, List<RaisedAlarm> raised)
        throws IOException, InterruptedException {
      Scenario.Unit spec = u.spec();
      long[] range = timeRange.get(spec.id());
      List<RunReport.Point> readings = range == null ? List.of()
          : gateway.api().readings(spec.id(), Instant.ofEpochMilli(range[0]), Instant.ofEpochMilli(range[1]));
      List<RunReport.Limit> limits = new ArrayList<>();
      for (Rule r : spec.effectiveProfile().rules()) {
        if (r instanceof Rule.Limit l) {
          limits.add(new RunReport.Limit(l.kind().name(), l.limit(), l.above()));
        }
      }
      return new RunReport.UnitTrace(spec.id(), spec.name(), spec.kind().configName(), spec.profile(), limits,
          readings, spans(a, u), raised.stream().filter(r -> r.unit().equals(spec.id())).toList());
    }

    private List<RunReport.Span> spans(AgentRun a, SimulatedUnit u) {
      Instant end = s.start().plus(s.duration());
      List<RunReport.Span> out = new ArrayList<>();
      List<Event> mine = new ArrayList<>(a.events());
      s.events().stream().filter(e -> agentOf(e).isEmpty()).filter(e -> u.concerns(e)).forEach(mine::add);
      for (Event e : mine) {
        Instant from = s.start().plus(e.at());
        Instant to = e.end().map(s.start()::plus).filter(t -> t.isBefore(end)).orElse(end);
        out.add(new RunReport.Span(e.type(), from, to));
      }
      Optional<Defrost> auto = u.spec().kind().defrost();
      if (auto.isPresent()) {
        for (Duration d = auto.get().every(); d.compareTo(s.duration()) < 0; d = d.plus(auto.get().every())) {
          Instant from = s.start().plus(d);
          Instant to = from.plus(auto.get().length());
          out.add(new RunReport.Span("defrost", from, to.isBefore(end) ? to : end));
        }
      }
      return out;
    }
  }
}
