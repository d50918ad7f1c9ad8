package org.sangfroid.agent.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's Prometheus text is what Micrometer's Prometheus registry writes for the same meters
 * (the registry the agent used before, kept for this comparison in tests only): the alert rules,
 * their promtool tests, the dashboard and the docs name these series.
 */
class PrometheusTextTest {
  private final SimpleMeterRegistry simple = new SimpleMeterRegistry();
  private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  /** Registers each meter on both registries. */
  private final CompositeMeterRegistry both = new CompositeMeterRegistry();
  private final AtomicLong depth = new AtomicLong(1_234_567);

  @BeforeEach
  void bothRegistries() {
    both.add(simple);
    both.add(prometheus);
    both.config().commonTags("site", "casa-01", "agent", "agent-01");
  }

  /** Meters like the agent's, and the edge cases of the format. */
  private void register(MeterRegistry meters) {
    meters.counter("sangfroid.agent.readings.sampled").increment(96);
    meters.counter("sangfroid.agent.sampler.ticks", "result", "skipped");
    meters.counter("sangfroid.agent.sampler.ticks", "result", "failed").increment();
    Gauge.builder("sangfroid.agent.outbox.depth", depth, AtomicLong::get).register(meters);
    FunctionCounter.builder("sangfroid.agent.outbox.dropped", depth, d -> 7)
        .description("Readings dropped from the full outbox since it was created").register(meters);
    Gauge.builder("sangfroid.agent.outbox.oldest.age", depth, d -> 90.5)
        .description("Age of the oldest reading the gateway has not acknowledged (0 when none waits)")
        .baseUnit("seconds").register(meters);
    for (String sensor : List.of("28-0316a2794b00", "28-0316a2794aff")) {
      for (String unit : List.of("rbc-fridge-2", "rbc-fridge-1")) {
        Gauge.builder("sangfroid.agent.probe.temperature", depth, d -> sensor.endsWith("aff") ? 4.25 : Double.NaN)
            .tags("unit", unit, "sensor", sensor).description("The probe's latest temperature (NaN when not valid)")
            .baseUnit("celsius").register(meters);
        FunctionCounter.builder("sangfroid.agent.probe.faults", depth, d -> 3)
            .tags("unit", unit, "sensor", sensor)
            .description("Readings that were not valid (probe faults) since the agent started").register(meters);
      }
    }
    Gauge.builder("sangfroid.agent.probe.calibration.due.timestamp", depth, d -> 1.7986176E9)
        .tags("unit", "rbc-fridge-1", "sensor", "28-0316a2794aff").baseUnit("seconds")
        .description("When the probe's calibration falls due (00:00 UTC of its due day), epoch seconds")
        .register(meters);
    // Label values and help text that need escaping; infinities; a name with a reserved suffix.
    Gauge.builder("sangfroid.test.odd", depth, d -> Double.POSITIVE_INFINITY)
        .tags("id", "CodeHeap 'non-nmethods' \"a\\b\"\nc", "dotted.key", "x")
        .description("back\\slash \"quoted\"\nsecond line").register(meters);
    Gauge.builder("sangfroid.test.odd", depth, d -> Double.NEGATIVE_INFINITY)
        .tags("id", "", "dotted.key", "y").description("back\\slash \"quoted\"\nsecond line").register(meters);
    Counter.builder("sangfroid.test.requests.total").baseUnit("requests").register(meters).increment(0.5);
    Gauge.builder("sangfroid.test.big", depth, d -> -1.073741824E9).register(meters);
  }

  @Test
  void scrape_sameTextAsMicrometersPrometheusRegistry() {
    register(both);

    String ours = PrometheusText.scrape(simple);

    assertThat(ours).isEqualTo(prometheus.scrape());
    assertThat(ours)
        .contains("# HELP sangfroid_agent_readings_sampled_total  \n"
            + "# TYPE sangfroid_agent_readings_sampled_total counter\n"
            + "sangfroid_agent_readings_sampled_total{agent=\"agent-01\",site=\"casa-01\"} 96.0\n")
        .contains("sangfroid_agent_outbox_depth{agent=\"agent-01\",site=\"casa-01\"} 1234567.0\n")
        .contains("sangfroid_agent_probe_temperature_celsius{agent=\"agent-01\",sensor=\"28-0316a2794b00\","
            + "site=\"casa-01\",unit=\"rbc-fridge-1\"} NaN\n")
        .contains("# HELP sangfroid_test_odd back\\\\slash \"quoted\"\\nsecond line\n")
        .contains("sangfroid_test_odd{agent=\"agent-01\",dotted_key=\"x\","
            + "id=\"CodeHeap 'non-nmethods' \\\"a\\\\b\\\"\\nc\",site=\"casa-01\"} +Inf\n");
  }

  @Test
  void scrape_jvmMemory_sameSeriesAsMicrometersPrometheusRegistry() {
    new JvmMemoryMetrics().bindTo(both);

    // The values move between the two reads; the series (names, labels, help, types) must not.
    assertThat(withoutValues(PrometheusText.scrape(simple))).isEqualTo(withoutValues(prometheus.scrape()))
        .contains("jvm_memory_used_bytes{agent=\"agent-01\",area=\"heap\",id=");
  }

  @Test
  void scrape_valuesReadAtEachScrape() {
    register(simple);
    depth.set(5);

    assertThat(PrometheusText.scrape(simple)).contains("sangfroid_agent_outbox_depth 5.0\n");
  }

  @Test
  void scrape_otherMeterTypes_leftOut() {
    simple.counter("sangfroid.agent.readings.sampled").increment();
    Timer.builder("sangfroid.test.latency").register(simple).record(Duration.ofMillis(5));

    assertThat(PrometheusText.scrape(simple))
        .isEqualTo("# HELP sangfroid_agent_readings_sampled_total  \n"
            + "# TYPE sangfroid_agent_readings_sampled_total counter\n"
            + "sangfroid_agent_readings_sampled_total 1.0\n");
  }

  private static String withoutValues(String scrape) {
    return scrape.replaceAll("(?m)^([^#].*) \\S+$", "$1");
  }
}
