package org.sangfroid.demo;

import java.nio.file.Path;
import java.time.Duration;
import org.sangfroid.core.config.ConfigNode;

/**
 * The demo site's three configuration files, written as a user would write them: one blood
 * centre, one agent, a red-cell fridge, a plasma freezer and a platelet incubator, each with
 * one DS18B20 probe. The end-to-end tests use the same files.
 */
public final class SiteConfigs {
  /** The red-cell fridge (its door is left open in the demo). */
  public static final String FRIDGE = "rbc-fridge-1";
  /** The plasma freezer. */
  public static final String FREEZER = "ffp-freezer-1";
  /** The platelet incubator. */
  public static final String INCUBATOR = "plt-incubator-1";
  public static final String SITE = "demo-centre";
  public static final String AGENT = "agent-01";
  public static final String FRIDGE_PROBE = "28-0000000000f1";
  public static final String FREEZER_PROBE = "28-0000000000f2";
  public static final String INCUBATOR_PROBE = "28-0000000000f3";

  /** The gateway's broker section for its embedded broker on a free local port. */
  public static final String EMBEDDED_BROKER = """
      broker:
        embedded:
          bind: 127.0.0.1
          port: 0
      """;

  private SiteConfigs() {}

  /** The broker section for an external broker. */
  public static String externalBroker(String url) {
    return "broker:\n  url: " + url + "\n";
  }

  /**
   * The simulator: three units; the fridge's door is left open at {@code doorOpenAt} (null:
   * never).
   */
  public static String simulator(Path w1, Duration doorOpenAt) {
    String failure = doorOpenAt == null ? "" : """
            failure:
              kind: door-open         # someone leaves the door open...
              at: %s                  # ...this long after the start
              duration: 30m
        """.formatted(ConfigNode.human(doorOpenAt));
    return """
        # The simulated blood bank: three units, each with a DS18B20 probe in a 1-Wire tree
        # that the agent reads as it would /sys/bus/w1/devices on a Raspberry Pi.
        seed: 42
        onewireDir: %s
        probes:
          - rom: %s      # red-cell fridge
            kind: fridge
        %s  - rom: %s      # plasma freezer
            kind: freezer
          - rom: %s      # platelet incubator
            kind: incubator
        """.formatted(w1.toAbsolutePath(), FRIDGE_PROBE, failure, FREEZER_PROBE, INCUBATOR_PROBE);
  }

  /** The gateway, with the given broker section and the fridge's alarm delay. */
  public static String gateway(Path data, int httpPort, String brokerSection, Duration fridgeDelay) {
    return """
        # The gateway: MQTT broker, SQLite database in dataDir, HTTP API.
        dataDir: %s
        http:
          bind: 127.0.0.1
          port: %d
        %s
        sites:
          - id: %s
            name: Demo blood centre
            agents:
              - id: %s
                units:
                  - id: %s
                    name: Red cell fridge 1
                    profile: RBC_STORE_EU
                    # Shortened for the demo so the alarm shows within minutes; the profile's
                    # default delay is 5 minutes (a design default to approve, see the profile).
                    delay: %s
                  - id: %s
                    name: Plasma freezer 1
                    profile: FFP_CRYO_EU
                  - id: %s
                    name: Platelet incubator 1
                    profile: PLT_STORE
        """.formatted(data.toAbsolutePath(), httpPort, brokerSection.strip(), SITE, AGENT, FRIDGE,
        ConfigNode.human(fridgeDelay), FREEZER, INCUBATOR);
  }

  /** The edge agent, reading the simulated 1-Wire tree every {@code tick}. */
  public static String agent(Path data, Path w1, String brokerUrl, Duration tick) {
    return """
        # The edge agent: reads the probes, keeps every reading in its SQLite outbox until the
        # gateway confirms it is stored, and publishes over MQTT.
        site: %s
        agent: %s
        tick: %s
        dataDir: %s
        broker:
          url: %s
        onewire:
          path: %s
        units:
          - id: %s
            profile: RBC_STORE_EU
            sensors:
              - id: %s
                type: ds18b20
          - id: %s
            profile: FFP_CRYO_EU
            sensors:
              - id: %s
                type: ds18b20
          - id: %s
            profile: PLT_STORE
            sensors:
              - id: %s
                type: ds18b20
        """.formatted(SITE, AGENT, ConfigNode.human(tick), data.toAbsolutePath(), brokerUrl, w1.toAbsolutePath(),
        FRIDGE, FRIDGE_PROBE, FREEZER, FREEZER_PROBE, INCUBATOR, INCUBATOR_PROBE);
  }
}
