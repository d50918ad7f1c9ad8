package org.sangfroid.agent.status;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import java.time.Clock;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.sangfroid.agent.alarm.AlarmPanel;
import org.sangfroid.agent.outbox.Outbox;
import org.sangfroid.core.wire.Quality;

/**
 * The gauges of a running agent that its parts do not register themselves: the outbox's oldest
 * unsent reading and damaged files, the broker connection, each probe (and its calibration, when
 * recorded), the local alarm, and the JVM's memory. Counters of readings sampled, published and
 * acked, and the outbox depth and drops, come from the sampler, publisher and agent; the events'
 * depth from the agent. In Prometheus text, dots become underscores and counters end in
 * {@code _total}.
 */
public final class AgentMetrics {
  private AgentMetrics() {}

  /**
   * Registers the gauges on {@code meters}. They are read at each scrape, on the scraping
   * thread, from the objects given here, which must outlive the registry's use.
   */
  public static void bind(MeterRegistry meters, Clock clock, Outbox outbox, BooleanSupplier connected,
      ProbeReadings probes, Supplier<AlarmPanel> panel, Set<String> units) {
    Gauge.builder("sangfroid.agent.outbox.oldest.age", outbox, o -> {
          var t = o.oldestTime();
          return t.isPresent() ? Math.max(0, clock.millis() - t.getAsLong()) / 1000.0 : 0;
        })
        .description("Age of the oldest reading the gateway has not acknowledged (0 when none waits)")
        .baseUnit("seconds").register(meters);
    Gauge.builder("sangfroid.agent.outbox.corrupt.files", outbox, o -> o.corruptFiles().size())
        .description("Damaged outboxes moved aside and still in the data folder").register(meters);
    // Strong references for the suppliers: Micrometer holds a gauge's object weakly, and a method
    // reference passed here is held by nothing else, so the first collection would turn it to NaN.
    Gauge.builder("sangfroid.agent.mqtt.connected", connected, c -> c.getAsBoolean() ? 1 : 0).strongReference(true)
        .description("1 while connected to the broker").register(meters);
    for (ProbeReadings.State s : probes.all()) {
      ProbeReadings.Probe p = s.probe();
      Tags tags = Tags.of("unit", p.unit(), "sensor", p.sensor());
      Gauge.builder("sangfroid.agent.probe.reading.age", probes,
              ps -> ps.get(p).last().map(m -> Math.max(0, clock.millis() - m.time()) / 1000.0).orElse(Double.NaN))
          .tags(tags).description("Time since the probe's latest reading (NaN before the first)")
          .baseUnit("seconds").register(meters);
      Gauge.builder("sangfroid.agent.probe.ok", probes,
              ps -> ps.get(p).last().map(m -> m.quality() == Quality.OK ? 1.0 : 0.0).orElse(0.0))
          .tags(tags).description("1 when the probe's latest reading is valid").register(meters);
      Gauge.builder("sangfroid.agent.probe.temperature", probes,
              ps -> ps.get(p).last().map(m -> m.celsius()).orElse(Double.NaN))
          .tags(tags).description("The probe's latest temperature (NaN when not valid)").baseUnit("celsius")
          .register(meters);
      FunctionCounter.builder("sangfroid.agent.probe.faults", probes, ps -> ps.get(p).faults())
          .tags(tags).description("Readings that were not valid (probe faults) since the agent started")
          .register(meters);
      p.calibration().ifPresent(c -> {
        Gauge.builder("sangfroid.agent.probe.calibration.overdue", probes, ps -> c.overdueAt(clock.millis()) ? 1 : 0)
            .tags(tags).description("1 from 00:00 UTC of the day the probe's calibration falls due").register(meters);
        Gauge.builder("sangfroid.agent.probe.calibration.due.timestamp", probes, ps -> c.dueAt() / 1000.0)
            .tags(tags).description("When the probe's calibration falls due (00:00 UTC of its due day), epoch seconds")
            .baseUnit("seconds").register(meters);
      });
    }
    Gauge.builder("sangfroid.agent.alarm.sounding", panel, a -> a.get().sounding() ? 1 : 0).strongReference(true)
        .description("1 while the local buzzer sounds (an alarm, not muted)").register(meters);
    Gauge.builder("sangfroid.agent.alarm.muted", panel, a -> a.get().muted() ? 1 : 0).strongReference(true)
        .description("1 while the mute button's silence runs").register(meters);
    for (String unit : units) {
      Gauge.builder("sangfroid.agent.alarm.active", panel, a -> a.get().alarms(unit).isEmpty() ? 0 : 1)
          .strongReference(true)
          .tag("unit", unit).description("1 while the unit has a condition of alarm severity on the agent")
          .register(meters);
    }
    new JvmMemoryMetrics().bindTo(meters);
  }
}
