package org.sangfroid.simulator.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.wire.ReadingBatch;
import org.sangfroid.gateway.broker.EmbeddedBroker;
import org.sangfroid.simulator.report.RunReport;
import org.sangfroid.simulator.run.ProgressBar;
import org.sangfroid.simulator.run.RunException;
import org.sangfroid.simulator.run.ScenarioRunner;
import org.sangfroid.simulator.scenario.Durations;
import org.sangfroid.simulator.scenario.Scenario;
import org.sangfroid.simulator.scenario.ScenarioFile;
import org.sangfroid.simulator.thermal.UnitKind;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A fleet of blood-bank refrigerators (RBC_STORE_EU, a glycol DS18B20 each) spread over virtual
 * agents, each publishing one batch per sampling step through an embedded broker into a gateway
 * on a virtual clock, for a simulated day: how much faster than real time it runs, and whether
 * every reading taken was stored. It is a {@link ScenarioRunner} run of a generated scenario
 * without events or expectations, without reading the readings back and without the SHA-256 of
 * the batches (it reports neither; the batches are the same, byte for byte).
 */
public final class FleetBench {
  /**
   * Sends of each virtual agent that may wait for the gateway's ack by default: 20, as an edge
   * agent ({@code MqttPublisher.DEFAULT_MAX_BATCHES_IN_FLIGHT}; the simulator does not depend on the
   * agent). The runner also waits for every ack before each engine tick, so with the default tick
   * (10 steps) at most 10 steps are on their way (3 h fleet: 338× real time; 10 in flight 307×,
   * 1: 237×).
   */
  public static final int DEFAULT_IN_FLIGHT = 20;

  private FleetBench() {}

  /**
   * What to run.
   *
   * @param units fridges in the fleet
   * @param unitsPerAgent fridges per virtual agent (the last agent may have fewer)
   * @param step sampling period: one reading per fridge per step
   * @param duration simulated time
   * @param tick the gateway's engine tick, a whole number of steps
   * @param publishEvery how often each agent sends what it took, a whole number of steps; each
   *     send is one batch (at most 2000 readings) per agent
   * @param inFlight how many sends of each agent may wait for the gateway's ack at once (as an edge
   *     agent does, up to 20 by default); 1 waits for every send's ack before the next step
   */
  public record Settings(int units, int unitsPerAgent, Duration step, Duration duration, Duration tick,
      Duration publishEvery, int inFlight, long seed) {
    /**
     * The issue's bench: 10,000 units at one reading a minute for 24 h, 1000 per agent sending
     * every minute (as real agents do), a tick every 10 min.
     */
    public static final Settings ISSUE = new Settings(10_000, 1000, Duration.ofMinutes(1), Duration.ofHours(24),
        Duration.ofMinutes(10), Duration.ofMinutes(1), DEFAULT_IN_FLIGHT, 1);

    public Settings {
      Checks.require(units >= 1 && units <= 1_000_000, "units", units, "be from 1 to 1000000");
      Checks.require(unitsPerAgent >= 1 && unitsPerAgent <= 2000, "unitsPerAgent", unitsPerAgent,
          "be from 1 to 2000");
      Checks.require(publishEvery != null && step != null && publishEvery.toMillis() % step.toMillis() == 0,
          "publishEvery", publishEvery, "be a whole number of steps (" + step + ")");
      Checks.require(inFlight >= 1 && inFlight <= 1000, "inFlight", inFlight, "be from 1 to 1000");
    }

    /** The generated scenario. */
    public Scenario scenario() {
      List<Scenario.Agent> agents = new ArrayList<>();
      int agentCount = (units + unitsPerAgent - 1) / unitsPerAgent;
      for (int a = 0; a < agentCount; a++) {
        String agent = String.format(Locale.ROOT, "agent-%05d", a + 1);
        List<Scenario.Unit> list = new ArrayList<>();
        for (int u = a * unitsPerAgent; u < Math.min(units, (a + 1) * unitsPerAgent); u++) {
          String id = String.format(Locale.ROOT, "fridge-%06d", u + 1);
          list.add(new Scenario.Unit("fleet", agent, id, id, UnitKind.FRIDGE, "RBC_STORE_EU", Optional.empty(),
              Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), ScenarioFile.DEFAULT_AMBIENT,
              UnitKind.FRIDGE.parameters().setPoint(),
              List.of(new Scenario.Probe(id + "-probe", UnitKind.FRIDGE.probe()))));
        }
        agents.add(new Scenario.Agent("fleet", agent, ScenarioFile.DEFAULT_OUTBOX,
            (int) Math.min(ReadingBatch.MAX_READINGS, (long) unitsPerAgent * (publishEvery.toMillis() / step.toMillis())),
            publishEvery.equals(step) ? Optional.empty() : Optional.of(publishEvery), list));
      }
      return new Scenario("Fleet bench: " + units + " fridges", "", seed, ScenarioFile.DEFAULT_START, duration, step,
          tick, ScenarioFile.DEFAULT_AMBIENT, List.of(new Scenario.Site("fleet", "Fleet", agents)), List.of(), List.of(),
          Set.of(), Set.of());
    }
  }

  /**
   * What it measured.
   *
   * @param raised alarms the gateway raised (random fridges may touch a warning band)
   * @param cpu CPU time spent during the run, by what the threads work for ({@link ThreadCpu});
   *     every part zero when the JVM does not measure threads' CPU time
   * @param allocated bytes allocated during the run by the same parts (which makes the garbage
   *     collector work), zero when unknown
   * @param loadAverage the machine's load average at the end (other processes share its CPUs),
   *     negative when unknown
   */
  public record Result(Settings settings, int agents, Duration setup, Duration wall, long taken, long sent, long stored,
      long lost, int raised, Map<ThreadCpu.Part, Duration> cpu, Map<ThreadCpu.Part, Long> allocated,
      double loadAverage) {
    public Result {
      cpu = Map.copyOf(cpu);
      allocated = Map.copyOf(allocated);
    }

    /** Simulated time over real time. */
    public double speedUp() {
      return (double) settings.duration().toMillis() / Math.max(1, wall.toMillis());
    }

    /** Readings stored per second of real time. */
    public double readingsPerSecond() {
      return stored * 1000.0 / Math.max(1, wall.toMillis());
    }

    /** CPU time of {@code part} per reading stored, microseconds (0 when unknown). */
    public double microsPerReading(ThreadCpu.Part part) {
      return cpu.getOrDefault(part, Duration.ZERO).toNanos() / 1000.0 / Math.max(1, stored);
    }

    /** Bytes {@code part} allocated per reading stored (0 when unknown). */
    public double bytesPerReading(ThreadCpu.Part part) {
      return (double) allocated.getOrDefault(part, 0L) / Math.max(1, stored);
    }

    /** CPU time of the gateway's ingest thread per reading stored, microseconds (0 when unknown). */
    public double ingestMicrosPerReading() {
      return microsPerReading(ThreadCpu.Part.INGEST);
    }

    /**
     * CPU time of the simulator's own threads per reading stored, microseconds (0 when unknown):
     * its main thread without the gateway's engine ticks, and the virtual agents' MQTT clients.
     */
    public double simulatorMicrosPerReading() {
      return microsPerReading(ThreadCpu.Part.SIMULATOR_MAIN) + microsPerReading(ThreadCpu.Part.SIMULATOR_MQTT);
    }

    /** CPU time of the whole process per reading stored, microseconds (0 when unknown). */
    public double processMicrosPerReading() {
      double sum = 0;
      for (ThreadCpu.Part p : ThreadCpu.Part.values()) {
        sum += microsPerReading(p);
      }
      return sum;
    }

    /** The speed-up if the gateway's ingest thread had a core to itself and nothing else cost anything. */
    public double ingestCeilingSpeedUp() {
      double perReading = ingestMicrosPerReading();
      return perReading == 0 ? 0 : speedUp() * wall.toNanos() / 1000.0 / (perReading * stored);
    }
  }

  /** Runs the bench with a broker of its own in {@code dir}. */
  public static Result run(Settings settings, Path dir, ScenarioRunner.Progress progress, LongSupplier nanoTime)
      throws IOException {
    Files.createDirectories(dir);
    try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", 0, dir.resolve("broker"))) {
      return run(settings, broker.url(), dir, progress, nanoTime);
    }
  }

  /** Runs the bench against a running broker; the gateway's files go to {@code dir/run}. */
  public static Result run(Settings settings, String brokerUrl, Path dir, ScenarioRunner.Progress progress,
      LongSupplier nanoTime) {
    Scenario s = settings.scenario();
    ThreadCpu cpu = new ThreadCpu(Thread.currentThread().getId());
    RunReport r = new ScenarioRunner(brokerUrl, nanoTime).run(s, "", dir.resolve("run"),
        ScenarioRunner.Options.defaults().withTraces(false).withDigest(false)
            .withInFlight(settings.inFlight()).withProgress(new ScenarioRunner.Progress() {
          @Override
          public void step(long step, long steps) {
            // from the end of the first step (the broker and gateway warmed up) to the end of the last
            if (step == 0) {
              cpu.start();
            } else if (step == steps) {
              cpu.stop();
            }
            progress.step(step, steps);
          }

          @Override
          public void ticked(Duration spent) {
            cpu.ticked(spent);
          }
        }));
    RunReport.Counts c = r.counts();
    return new Result(settings, s.agents().size(), r.setupTime(), r.wallTime(), c.taken(), c.sent(), c.stored(),
        c.taken() - c.stored(), r.matching().unexpected().size() + r.matching().ignored().size(), cpu.split(),
        cpu.allocated(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  /** The result as a table for a terminal (and docs/performance.md). */
  public static String table(Result r) {
    Settings s = r.settings();
    return String.format(Locale.ROOT, """
        Simulator fleet bench
          units                  %,d fridges on %,d virtual agents (%d per agent)
          simulated              %s, a reading every %s, each agent sends every %s, engine tick every %s
          in flight              up to %d sends per agent waiting for the gateway's ack
          setup                  %.1f s (broker, gateway, agents connecting; not counted below)
          real time              %.1f s
          speed-up               %,.0f× real time
          readings taken         %,d
          readings sent          %,d
          readings stored        %,d
          readings lost          %,d
          readings/s stored      %,.0f
          gateway ingest thread  %.1f µs of CPU per reading stored: alone on a core it would allow %,.0f× real time
          simulator threads      %.1f µs of CPU per reading stored (models, outboxes, encoding, publishing)
          alarms raised          %,d
        """, s.units(), r.agents(), s.unitsPerAgent(), Durations.human(s.duration()), Durations.human(s.step()),
        Durations.human(s.publishEvery()), Durations.human(s.tick()), s.inFlight(), r.setup().toMillis() / 1000.0,
        r.wall().toMillis() / 1000.0, r.speedUp(), r.taken(), r.sent(), r.stored(),
        r.lost(), r.readingsPerSecond(), r.ingestMicrosPerReading(), r.ingestCeilingSpeedUp(), r.simulatorMicrosPerReading(), r.raised())
        + cpuTable(r);
  }

  /** Where the CPU time went, by thread, per reading stored; empty when the JVM does not measure it. */
  static String cpuTable(Result r) {
    if (r.processMicrosPerReading() == 0) {
      return "";
    }
    StringBuilder t = new StringBuilder(String.format(Locale.ROOT,
        "%nCPU per reading stored, by thread (the simulator, the broker and the gateway share this process;"
            + " load average %s on %d CPUs at the end)%n",
        r.loadAverage() < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f", r.loadAverage()),
        Runtime.getRuntime().availableProcessors()));
    t.append(String.format(Locale.ROOT, "  %-70s %9s %16s%n", "", "CPU", "bytes allocated"));
    for (ThreadCpu.Part p : ThreadCpu.Part.values()) {
      t.append(String.format(Locale.ROOT, "  %-70s %6.2f µs %16s%n", p.label(), r.microsPerReading(p),
          p == ThreadCpu.Part.JVM || p == ThreadCpu.Part.GATEWAY_TICK ? ""
              : String.format(Locale.ROOT, "%,.0f", r.bytesPerReading(p))));
    }
    t.append(String.format(Locale.ROOT, "  %-70s %6.2f µs%n", "the whole process", r.processMicrosPerReading()));
    return t.toString();
  }

  /** {@code sangfroid-simulator bench}. */
  @picocli.CommandLine.Command(
      name = "bench",
      mixinStandardHelpOptions = true,
      description = {
        "Drives a fleet of simulated fridges through an MQTT broker into a gateway on a virtual clock, and"
            + " prints how much faster than real time it ran, whether every reading was stored, and how much CPU"
            + " time per reading the simulator, the gateway and the broker spent (they share this process).",
        "Default: 10,000 units at one reading a minute for a simulated 24 h, 1000 units per agent, each agent"
            + " sending every minute without waiting for the gateway's ack of its last 20 sends, as edge agents do"
            + " (the target is 1000× real time with nothing lost). Exit code 0 when nothing was lost, 1 otherwise.",
      })
  public static final class Command implements Callable<Integer> {
    @Option(names = "--units", paramLabel = "N", defaultValue = "10000", description = "Units (default ${DEFAULT-VALUE}).")
    int units;

    @Option(names = "--per-agent", paramLabel = "N", defaultValue = "1000",
        description = "Units per virtual agent, 1 to 2000 (default ${DEFAULT-VALUE}).")
    int perAgent;

    @Option(names = "--publish-every", paramLabel = "DURATION", defaultValue = "1m",
        description = "How often each agent sends what it took, whole steps (default ${DEFAULT-VALUE}, as real"
            + " agents do); one batch of up to 2000 readings per agent per send.")
    String publishEvery;

    @Option(names = "--in-flight", paramLabel = "N", defaultValue = "" + DEFAULT_IN_FLIGHT,
        description = "Sends of each agent that may wait for the gateway's ack at once, 1 to 1000 (default"
            + " ${DEFAULT-VALUE}, as an edge agent); 1 waits for each send's ack before the next step. Every send is"
            + " acked before each engine tick.")
    int inFlight;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "24h",
        description = "Simulated time (default ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--step", paramLabel = "DURATION", defaultValue = "1m",
        description = "Sampling period (default ${DEFAULT-VALUE}).")
    String step;

    @Option(names = "--tick", paramLabel = "DURATION", defaultValue = "10m",
        description = "Gateway engine tick, whole steps (default ${DEFAULT-VALUE}).")
    String tick;

    @Option(names = "--dir", paramLabel = "DIR",
        description = "Folder for the broker and gateway files, kept afterwards (default: a temporary folder,"
            + " removed at the end: a day of 10,000 units is about 2.3 GB of database).")
    Path dir;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      PrintWriter err = spec.commandLine().getErr();
      Settings settings;
      try {
        Duration st = Durations.parse(step);
        settings = new Settings(units, perAgent, st, Durations.parse(duration), Durations.parse(tick),
            Durations.parse(publishEvery), inFlight, 1);
        settings.scenario(); // checks step, tick and duration together
      } catch (IllegalArgumentException e) {
        err.println(e.getMessage());
        err.flush();
        return 2;
      }
      Path folder = dir != null ? dir : Files.createTempDirectory("sangfroid-bench-");
      try {
        Result r = run(settings, folder, new ProgressBar(err, settings.step(), settings.duration(), System::nanoTime),
            System::nanoTime);
        spec.commandLine().getOut().print(table(r));
        spec.commandLine().getOut().flush();
        return r.lost() == 0 ? 0 : 1;
      } catch (RunException e) {
        err.println();
        err.println("The bench could not be carried out: " + e.getMessage());
        err.flush();
        return 1;
      } finally {
        if (dir == null) {
          delete(folder);
        }
      }
    }

    private static void delete(Path folder) throws IOException {
      try (Stream<Path> files = Files.walk(folder)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
