package org.sangfroid.gateway.report;

import static org.sangfroid.gateway.Fixtures.FRIDGE;
import static org.sangfroid.gateway.Fixtures.T0;
import static org.sangfroid.gateway.Fixtures.batch;
import static org.sangfroid.gateway.Fixtures.reading;
import static org.sangfroid.gateway.Fixtures.readingsTopic;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.core.wire.Quality;
import org.sangfroid.core.wire.Reading;
import org.sangfroid.gateway.Fixtures;
import org.sangfroid.gateway.MutableClock;
import org.sangfroid.gateway.alarm.AlarmBook;
import org.sangfroid.gateway.alarm.AlarmDesk;
import org.sangfroid.gateway.config.Fleet;
import org.sangfroid.gateway.ingest.Ingest;
import org.sangfroid.gateway.store.AlarmRow;
import org.sangfroid.gateway.store.GatewayStore;

/**
 * A real SQLite store with the test fleet, and a fridge excursion taken through its whole life:
 * 4.0 °C, then 7.0, 7.4, 8.1 °C from T0+10 min, back to 5.0 °C at T0+30 min (beyond +6 °C for 20
 * min, peak 8.1 °C), acknowledged and closed by ana.
 */
final class ReportFixture implements AutoCloseable {
  static final String ACK = "Door left open after a delivery";
  static final String CAUSE = "Door not latched";

  final MutableClock clock = new MutableClock(T0);
  final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final Fleet fleet;
  final GatewayStore store;
  final Ingest ingest;
  final AlarmDesk desk;

  ReportFixture(Path dir) {
    fleet = Fixtures.config(dir).fleet();
    store = GatewayStore.open(dir.resolve("gateway.db"));
    AlarmBook book = new AlarmBook(meters, clock);
    ingest = new Ingest(fleet, store, book, meters, clock);
    desk = new AlarmDesk(store, clock, fleet, book);
  }

  /** The fridge's excursion, closed; answers its HIGH_TEMPERATURE alarm. */
  AlarmRow closedExcursion() {
    long seq = 1;
    double[][] steps = {{0, 4.0}, {5, 4.0}, {10, 7.0}, {15, 7.4}, {20, 8.1}, {30, 5.0}, {40, 4.2}, {50, 4.1}};
    for (double[] s : steps) {
      clock.set(T0.plus(Duration.ofSeconds((long) (s[0] * 60 + 1))));
      ingest.accept(readingsTopic(), batch(reading(seq++, s[0], FRIDGE, s[1])));
    }
    AlarmRow a = store.alarms(false, 100).stream().filter(x -> x.kind() == AlarmKind.HIGH_TEMPERATURE).findFirst()
        .orElseThrow();
    clock.set(T0.plus(Duration.ofMinutes(55)));
    desk.acknowledge(a.id(), "ana", ACK);
    clock.set(T0.plus(Duration.ofMinutes(58)));
    desk.close(a.id(), "ana", CAUSE, "quarantined");
    return store.alarm(a.id()).orElseThrow();
  }

  /** Stores a reading of the fridge as agent-01 sent it. */
  void store(long seq, Instant t, double celsius) {
    store.write(tx -> tx.insertReading(Fixtures.SITE, Fixtures.AGENT, new Reading(seq, t.toEpochMilli(), FRIDGE,
        "probe-" + FRIDGE, celsius, Quality.OK, true), t.toEpochMilli()));
  }

  /** The text of a PDF, its no-break spaces as plain spaces. */
  static String text(byte[] pdf) {
    try (PDDocument d = Loader.loadPDF(pdf)) {
      return new PDFTextStripper().getText(d).replace('\u00a0', ' ').replace('\u202f', ' ');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    store.close();
  }
}
