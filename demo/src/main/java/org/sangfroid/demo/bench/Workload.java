package org.sangfroid.demo.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sangfroid.agent.outbox.Measurement;
import org.sangfroid.core.wire.Quality;
import org.sangfroid.core.wire.Reading;
import org.sangfroid.core.wire.ReadingBatch;

/**
 * A synthetic fleet for the benches: one site; agents, each with units of DS18B20 probes; every
 * probe read once per one-second tick, in range for red cells (+3.5 to +4.4 °C). Readings are
 * numbered per agent from 1, tick by tick, probe by probe, as an agent's outbox numbers them.
 *
 * @param probesPerUnit probes in each unit; an agent has {@code unitsPerAgent * probesPerUnit}
 */
public record Workload(String site, int agents, int unitsPerAgent, int probesPerUnit) {
  /** The profile of every unit: red cells, +2 to +6 °C. */
  public static final String PROFILE = "RBC_STORE_EU";
  /** Milliseconds between two ticks. */
  public static final long TICK_MS = 1000;

  public Workload {
    if (agents < 1 || unitsPerAgent < 1 || probesPerUnit < 1 || unitsPerAgent > 255 || probesPerUnit > 255) {
      throw new IllegalArgumentException("a workload needs at least one agent, unit and probe (at most 255 each)");
    }
  }

  /** Probes per agent: the readings of one tick. */
  public int probes() {
    return unitsPerAgent * probesPerUnit;
  }

  public String agent(int a) {
    return String.format("agent-%03d", a);
  }

  public String unit(int a, int u) {
    return String.format("a%03d-fridge-%02d", a, u);
  }

  /** A DS18B20 ROM id, unique across the fleet. */
  public String probe(int a, int u, int p) {
    return String.format("28-%012x", ((long) a << 16) | ((long) u << 8) | p);
  }

  /** A value in range that varies from reading to reading. */
  static double celsius(long seq) {
    return 3.5 + (seq % 10) / 10.0;
  }

  /** Agent {@code a}'s tick number {@code k} (from 0), measured at {@code t0 + k} seconds. */
  public List<Measurement> tick(int a, long k, long t0) {
    List<Measurement> tick = new ArrayList<>(probes());
    long time = t0 + k * TICK_MS;
    for (int u = 0; u < unitsPerAgent; u++) {
      for (int p = 0; p < probesPerUnit; p++) {
        long seq = k * probes() + (long) u * probesPerUnit + p + 1;
        tick.add(new Measurement(time, unit(a, u), probe(a, u, p), celsius(seq), Quality.OK, true));
      }
    }
    return tick;
  }

  /** The reading agent {@code a}'s outbox numbers {@code seq} (from 1). */
  public Reading reading(int a, long seq, long t0) {
    long i = seq - 1;
    long k = i / probes();
    int inTick = (int) (i % probes());
    int u = inTick / probesPerUnit;
    int p = inTick % probesPerUnit;
    return new Reading(seq, t0 + k * TICK_MS, unit(a, u), probe(a, u, p), celsius(seq), Quality.OK, true);
  }

  /** Agent {@code a}'s batch of {@code n} readings from {@code firstSeq}, all measured at {@code time}. */
  public ReadingBatch liveBatch(int a, long firstSeq, int n, long time) {
    List<Reading> readings = new ArrayList<>(n);
    for (long s = firstSeq; s < firstSeq + n; s++) {
      Reading r = reading(a, s, 0);
      readings.add(new Reading(s, time, r.unit(), r.sensor(), r.celsius(), r.quality(), r.clockSynced()));
    }
    return new ReadingBatch(site, agent(a), readings);
  }

  /** Agent {@code a}'s batch of {@code n} readings from {@code firstSeq}. */
  public ReadingBatch batch(int a, long firstSeq, int n, long t0) {
    List<Reading> readings = new ArrayList<>(n);
    for (long s = firstSeq; s < firstSeq + n; s++) {
      readings.add(reading(a, s, t0));
    }
    return new ReadingBatch(site, agent(a), readings);
  }

  /**
   * The gateway's configuration for this fleet.
   *
   * @param brokerSection a whole top-level {@code broker:} mapping
   * @param moreAgents further agent entries of the site, indented as list items under {@code agents:}
   * @param moreSections further top-level sections (e.g. {@code notify:}), or ""
   */
  public String gatewayYaml(Path dataDir, String brokerSection, String moreAgents, String moreSections) {
    StringBuilder agentsYaml = new StringBuilder();
    for (int a = 0; a < agents; a++) {
      agentsYaml.append("      - id: ").append(agent(a)).append("\n        units:\n");
      for (int u = 0; u < unitsPerAgent; u++) {
        agentsYaml.append("          - id: ").append(unit(a, u)).append("\n            profile: ").append(PROFILE)
            .append('\n');
      }
    }
    return """
        # Written by 'sangfroid bench'.
        dataDir: %s
        http:
          bind: 127.0.0.1
          port: 0
        %s
        sites:
          - id: %s
            agents:
        %s%s
        %s""".formatted(dataDir.toAbsolutePath(), brokerSection.strip(), site, agentsYaml, moreAgents, moreSections);
  }

  /** Agent {@code a}'s configuration: its probes on the 1-Wire tree {@code w1}, sampled every second. */
  public String agentYaml(int a, Path dataDir, Path w1, String brokerUrl) {
    StringBuilder units = new StringBuilder();
    for (int u = 0; u < unitsPerAgent; u++) {
      units.append("  - id: ").append(unit(a, u)).append("\n    profile: ").append(PROFILE).append("\n    sensors:\n");
      for (int p = 0; p < probesPerUnit; p++) {
        units.append("      - id: ").append(probe(a, u, p)).append("\n        type: ds18b20\n");
      }
    }
    return """
        # Written by 'sangfroid bench'.
        site: %s
        agent: %s
        tick: 1s
        dataDir: %s
        broker:
          url: %s
        onewire:
          path: %s
        units:
        %s""".formatted(site, agent(a), dataDir.toAbsolutePath(), brokerUrl, w1.toAbsolutePath(), units);
  }

  /** The simulator's configuration: every probe of the fleet, each in a closed fridge. */
  public String simulatorYaml(Path w1) {
    StringBuilder probes = new StringBuilder();
    for (int a = 0; a < agents; a++) {
      for (int u = 0; u < unitsPerAgent; u++) {
        for (int p = 0; p < probesPerUnit; p++) {
          probes.append("  - rom: ").append(probe(a, u, p)).append("\n    kind: fridge\n");
        }
      }
    }
    return """
        # Written by 'sangfroid bench'.
        seed: 42
        onewireDir: %s
        probes:
        %s""".formatted(w1.toAbsolutePath(), probes);
  }
}
