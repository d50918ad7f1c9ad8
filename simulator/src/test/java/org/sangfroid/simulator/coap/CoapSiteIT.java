package org.sangfroid.simulator.coap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.SystemConfig;
import org.eclipse.californium.elements.config.UdpConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sangfroid.simulator.scenario.Scenario;
import org.sangfroid.simulator.scenario.ScenarioFile;

/** Issue 6: a scenario's probes served as CoAP nodes, following its models and its probe faults. */
class CoapSiteIT {
  private static final Scenario SCENARIO = ScenarioFile.parse("coap.yaml", """
      name: CoAP
      duration: 2h
      sites:
        - id: casa-01
          agents:
            - id: agent-01
              units:
                - {id: fridge-1, kind: fridge, profile: RBC_STORE_EU}
                - {id: freezer-1, kind: freezer, profile: FFP_CRYO_EU}
      events:
        - {type: door-open, unit: fridge-1, at: 10m, duration: 30m}
        - {type: probe-disconnect, probe: freezer-1-probe, at: 10m, duration: 10m}
        - {type: probe-crc-error, probe: freezer-1-probe, at: 30m, duration: 10m}
      """);

  private final AtomicLong now = new AtomicLong(Instant.parse("2026-01-15T08:00:00Z").toEpochMilli());
  private final java.time.Clock clock = new java.time.Clock() {
    @Override
    public long millis() {
      return now.get();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(now.get());
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  };
  private CoapSite site;
  private CoapEndpoint endpoint;

  @BeforeEach
  void start() throws java.io.IOException {
    site = CoapSite.start(SCENARIO, clock, InetAddress.getLoopbackAddress(), r -> {
      Thread t = new Thread(r, "coap-site-test");
      t.setDaemon(true);
      return t;
    });
    endpoint = new CoapEndpoint.Builder()
        .setConfiguration(new Configuration(SystemConfig.DEFINITIONS, CoapConfig.DEFINITIONS, UdpConfig.DEFINITIONS))
        .build();
    endpoint.start();
  }

  @AfterEach
  void stop() {
    endpoint.destroy();
    site.close();
  }

  private CoapResponse get(URI uri) throws Exception {
    CoapClient client = new CoapClient(uri.toString()).setEndpoint(endpoint).setTimeout(2000L);
    try {
      return client.get();
    } finally {
      client.shutdown();
    }
  }

  private double value(URI uri) throws Exception {
    CoapResponse r = get(uri);
    assertThat(r.getCode()).isEqualTo(ResponseCode.CONTENT);
    return new ObjectMapper().readTree(r.getResponseText()).get(0).get("v").asDouble();
  }

  private void at(Duration elapsed) {
    now.set(Instant.parse("2026-01-15T08:00:00Z").plus(elapsed).toEpochMilli());
    site.tick();
  }

  @Test
  void nodes_followTheModelsDoorOpeningAndProbeFaults() throws Exception {
    URI fridge = site.nodes().get("fridge-1-probe");
    URI freezer = site.nodes().get("freezer-1-probe");
    assertThat(site.nodes()).containsOnlyKeys("fridge-1-probe", "freezer-1-probe");

    assertThat(value(fridge)).isBetween(2.5, 5.5);
    assertThat(value(freezer)).isBetween(-32.0, -28.0);

    at(Duration.ofMinutes(15)); // door open 5 min, freezer probe off the bus
    assertThat(get(freezer)).as("a disconnected probe's node is silent").isNull();

    at(Duration.ofMinutes(35)); // door open 25 min: the glycol has warmed; CRC errors on the freezer
    assertThat(value(fridge)).isGreaterThan(6.0);
    assertThat(get(freezer).getResponseText()).isEqualTo("[]");

    at(Duration.ofMinutes(45));
    assertThat(value(freezer)).as("back, on the same port").isBetween(-32.0, -27.0);
  }
}
