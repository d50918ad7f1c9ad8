package org.sangfroid.simulator.coap;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.SystemConfig;
import org.eclipse.californium.elements.config.UdpConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The node as a CoAP client sees it, over UDP on loopback. */
class CoapTemperatureNodeIT {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-15T08:00:00.250Z"), ZoneOffset.UTC);

  private final CoapTemperatureNode node = CoapTemperatureNode.plain(InetAddress.getLoopbackAddress(), CLOCK);
  private CoapEndpoint endpoint;

  @BeforeEach
  void start() throws Exception {
    node.start();
    endpoint = new CoapEndpoint.Builder()
        .setConfiguration(new Configuration(SystemConfig.DEFINITIONS, CoapConfig.DEFINITIONS, UdpConfig.DEFINITIONS))
        .build();
    endpoint.start();
  }

  @AfterEach
  void stop() {
    endpoint.destroy();
    node.close();
  }

  private CoapResponse get(String uri, int accept) throws Exception {
    Request request = Request.newGet();
    request.setURI(uri);
    if (accept != MediaTypeRegistry.UNDEFINED) {
      request.getOptions().setAccept(accept);
    }
    CoapClient client = new CoapClient().setEndpoint(endpoint).setTimeout(5000L);
    try {
      return client.advanced(request);
    } finally {
      client.shutdown();
    }
  }

  @Test
  void get_value_senmlWithUnitAndTimeOfMeasurement() throws Exception {
    node.temperature(4.25);

    CoapResponse r = get(node.uri().toString(), MediaTypeRegistry.APPLICATION_SENML_JSON);

    assertThat(r.getCode()).isEqualTo(ResponseCode.CONTENT);
    assertThat(r.getOptions().getContentFormat()).isEqualTo(110);
    assertThat(r.getOptions().getMaxAge()).isEqualTo(60);
    assertThat(r.getResponseText()).isEqualTo("[{\"bn\":\"/3303/0/5700\",\"bt\":1768464000.250,\"bu\":\"Cel\",\"v\":4.25}]");
  }

  @Test
  void get_objectWithoutClock_recordsNamedByResourceWithoutTime() throws Exception {
    node.timestamps(false);
    node.temperature(-30);

    CoapResponse r = get(node.objectUri().toString(), MediaTypeRegistry.UNDEFINED);

    assertThat(r.getResponseText())
        .isEqualTo("[{\"bn\":\"/3303/0/\",\"n\":\"5700\",\"v\":-30},{\"n\":\"5701\",\"vs\":\"Cel\"}]");
  }

  @Test
  void get_otherFormatOrNoValueYet_refused() throws Exception {
    assertThat(get(node.uri().toString(), MediaTypeRegistry.APPLICATION_SENML_JSON).getCode())
        .isEqualTo(ResponseCode.SERVICE_UNAVAILABLE);
    node.temperature(4.0);
    assertThat(get(node.uri().toString(), MediaTypeRegistry.TEXT_PLAIN).getCode())
        .isEqualTo(ResponseCode.NOT_ACCEPTABLE);
  }

  @Test
  void stopThenStart_silentThenServesOnTheSamePort() throws Exception {
    node.payload("not senml");
    int port = node.port();

    node.stop();
    Request silent = Request.newGet();
    silent.setURI(node.uri().toString());
    endpoint.sendRequest(silent);
    assertThat(silent.waitForResponse(300)).isNull();
    node.start();

    assertThat(node.port()).isEqualTo(port);
    assertThat(get(node.uri().toString(), MediaTypeRegistry.UNDEFINED).getResponseText()).isEqualTo("not senml");
  }
}
