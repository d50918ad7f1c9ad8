package org.sangfroid.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.sangfroid.core.wire.Quality;
import org.sangfroid.core.wire.Reading;
import org.sangfroid.core.wire.ReadingBatch;
import org.sangfroid.core.wire.Topics;
import org.sangfroid.core.wire.WireCodec;
import org.sangfroid.gateway.config.GatewayConfig;
import org.sangfroid.gateway.store.Database;

/** A small fleet and helpers to build agent messages. */
public final class Fixtures {
  public static final String SITE = "casa-01";
  public static final String AGENT = "agent-01";
  public static final String OTHER_AGENT = "agent-02";
  /** RBC_STORE_EU: +2 to +6 °C, delay 5 min, hysteresis 0.5, monitoring lost after 10 min. */
  public static final String FRIDGE = "rbc-fridge-1";
  /** FFP_CRYO_EU: at or below -25 °C. */
  public static final String FREEZER = "ffp-freezer-1";
  /** PLT_STORE, on agent-02. */
  public static final String INCUBATOR = "plt-incubator-1";
  /** Measurement times in tests start here. */
  public static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  public static final String YAML = """
      dataDir: ./data
      http:
        port: 0
      broker:
        embedded:
          port: 0
      engine:
        tick: 1h
      sites:
        - id: casa-01
          name: Casablanca regional transfusion centre
          agents:
            - id: agent-01
              units:
                - id: rbc-fridge-1
                  name: Red cell fridge 1
                  profile: RBC_STORE_EU
                - id: ffp-freezer-1
                  name: Plasma freezer 1
                  profile: FFP_CRYO_EU
            - id: agent-02
              units:
                - id: plt-incubator-1
                  profile: PLT_STORE
      """;

  private Fixtures() {}

  /** The fleet above, with its data directory in {@code dir}. */
  public static GatewayConfig config(Path dir) {
    return GatewayConfig.parse("gateway.yaml", YAML, dir);
  }

  /**
   * {@link #YAML} with a {@code database} section for {@code db}, written to {@code dir}/gateway.yaml;
   * its password goes to {@code dir}/db.secret.
   */
  public static Path postgresConfigFile(Path dir, Database db) throws IOException {
    Files.writeString(dir.resolve("db.secret"), db.password().orElseThrow() + "\n");
    return Files.writeString(dir.resolve("gateway.yaml"), YAML.replace("http:", """
        database:
          url: "%s"
          username: %s
          passwordFile: db.secret
        http:""".formatted(db.url(), db.username().orElseThrow())));
  }

  /** A valid reading of {@code unit} measured {@code minutes} after {@link #T0}. */
  public static Reading reading(long seq, double minutes, String unit, double celsius) {
    return new Reading(seq, T0.toEpochMilli() + (long) (minutes * 60_000), unit, "probe-" + unit, celsius,
        Quality.OK, true);
  }

  /** A reading without a temperature. */
  public static Reading fault(long seq, double minutes, String unit) {
    return new Reading(seq, T0.toEpochMilli() + (long) (minutes * 60_000), unit, "probe-" + unit, Double.NaN,
        Quality.DISCONNECTED, true);
  }

  /** A batch payload from agent-01. */
  public static byte[] batch(Reading... readings) {
    return batch(SITE, AGENT, readings);
  }

  public static byte[] batch(String site, String agent, Reading... readings) {
    return WireCodec.encode(new ReadingBatch(site, agent, List.of(readings)));
  }

  /** agent-01's readings topic. */
  public static String readingsTopic() {
    return Topics.agent(SITE, AGENT, Topics.Kind.READINGS);
  }
}
