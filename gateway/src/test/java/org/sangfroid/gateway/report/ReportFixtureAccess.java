package org.sangfroid.gateway.report;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import org.sangfroid.gateway.MutableClock;
import org.sangfroid.gateway.config.Fleet;
import org.sangfroid.gateway.store.AlarmRow;
import org.sangfroid.gateway.store.GatewayStore;

/** {@link ReportFixture} for tests of other packages (the web app's). */
public final class ReportFixtureAccess implements AutoCloseable {
  private final ReportFixture f;

  public ReportFixtureAccess(Path dir) {
    this.f = new ReportFixture(dir);
  }

  public AlarmRow closedExcursion() {
    return f.closedExcursion();
  }

  public MutableClock clock() {
    return f.clock;
  }

  public Fleet fleet() {
    return f.fleet;
  }

  public GatewayStore store() {
    return f.store;
  }

  public PrometheusMeterRegistry meters() {
    return f.meters;
  }

  @Override
  public void close() {
    f.close();
  }
}
