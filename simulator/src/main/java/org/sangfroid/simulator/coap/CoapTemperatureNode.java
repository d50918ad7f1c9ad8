package org.sangfroid.simulator.coap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.CoAP.Type;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.SystemConfig;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedMultiPskStore;
import org.sangfroid.core.check.Checks;

/**
 * A wireless temperature node: a CoAP server on one address, plain ({@code coap://}) or DTLS
 * with one pre-shared key ({@code coaps://}), serving the IPSO temperature object 3303,
 * instance 0, in SenML JSON (RFC 8428, content-format 110):
 *
 * <pre>
 * /3303/0/5700  the sensor value, observable:
 *               [{"bn":"/3303/0/5700","bt":1768464000.000,"bu":"Cel","v":4.25}]
 * /3303/0       the object instance, observable:
 *               [{"bn":"/3303/0/","bt":1768464000.000,"n":"5700","v":4.25},{"n":"5701","vs":"Cel"}]
 * </pre>
 *
 * <p>{@code bt} is when the value was set, by the node's clock (left out after
 * {@link #timestamps(boolean) timestamps(false)}, for a node without a clock). A request whose
 * Accept option names another format gets 4.06 Not Acceptable; before the first value, 5.03
 * Service Unavailable. Notifications are confirmable and carry Max-Age {@link #MAX_AGE}.
 *
 * <p>Driven from outside (a test, or later the simulator's thermal models): set the
 * {@link #temperature(double) temperature}, serve a {@link #payload(String) raw payload} (fault
 * injection), {@link #stop() go silent} and {@link #start() come back} on the same port, as a
 * node that rebooted: its observers are forgotten. Thread-safe.
 */
public final class CoapTemperatureNode implements AutoCloseable {
  /** Max-Age of every representation: the observer may consider it stale after this. */
  public static final Duration MAX_AGE = Duration.ofSeconds(60);
  /** The sensor value resource. */
  public static final String VALUE_PATH = "/3303/0/5700";
  /** The object instance resource. */
  public static final String OBJECT_PATH = "/3303/0";

  private final InetAddress address;
  private final Clock clock;
  private final Optional<String> pskIdentity;
  private final byte[] pskKey;
  private int port;
  private CoapServer server;
  private ValueResource value;
  private ObjectResource object;
  /** The latest measurement; null before the first. */
  private volatile Measurement measurement;
  private volatile String raw;
  private volatile boolean timestamps = true;

  private record Measurement(double celsius, Instant at) {}

  private CoapTemperatureNode(InetAddress address, Clock clock, Optional<String> pskIdentity, byte[] pskKey) {
    this.address = Checks.requireNonNull("address", address);
    this.clock = Checks.requireNonNull("clock", clock);
    this.pskIdentity = pskIdentity;
    this.pskKey = pskKey;
  }

  /** A plain CoAP node on {@code address}; {@link #start()} binds it. */
  public static CoapTemperatureNode plain(InetAddress address, Clock clock) {
    return new CoapTemperatureNode(address, clock, Optional.empty(), new byte[0]);
  }

  /** A DTLS node on {@code address} that accepts one pre-shared key; {@link #start()} binds it. */
  public static CoapTemperatureNode secure(InetAddress address, Clock clock, String pskIdentity, byte[] pskKey) {
    Checks.require(pskIdentity != null && !pskIdentity.isEmpty(), "pskIdentity", pskIdentity, "not be empty");
    Checks.require(pskKey != null && pskKey.length > 0, "pskKey", "(hidden)", "not be empty");
    return new CoapTemperatureNode(address, clock, Optional.of(pskIdentity), pskKey.clone());
  }

  /**
   * Binds and serves: on an ephemeral port the first time, on the same port after {@link #stop()}.
   *
   * @throws UncheckedIOException if the port cannot be bound
   */
  public synchronized CoapTemperatureNode start() {
    if (server != null) {
      return this;
    }
    Configuration config = new Configuration(SystemConfig.DEFINITIONS, CoapConfig.DEFINITIONS,
        UdpConfig.DEFINITIONS, DtlsConfig.DEFINITIONS);
    config.set(CoapConfig.PROTOCOL_STAGE_THREAD_COUNT, 1);
    config.set(UdpConfig.UDP_RECEIVER_THREAD_COUNT, 1);
    config.set(UdpConfig.UDP_SENDER_THREAD_COUNT, 1);
    config.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.SERVER_ONLY);
    config.set(DtlsConfig.DTLS_RECEIVER_THREAD_COUNT, 1);
    config.set(DtlsConfig.DTLS_CONNECTOR_THREAD_COUNT, 1);
    InetSocketAddress bind = new InetSocketAddress(address, port);
    CoapEndpoint.Builder endpoint = new CoapEndpoint.Builder().setConfiguration(config);
    if (pskIdentity.isPresent()) {
      AdvancedMultiPskStore keys = new AdvancedMultiPskStore();
      keys.setKey(pskIdentity.get(), pskKey);
      endpoint.setConnector(new DTLSConnector(DtlsConnectorConfig.builder(config)
          .setAddress(bind)
          .setAdvancedPskStore(keys)
          .build()));
    } else {
      endpoint.setInetSocketAddress(bind);
    }
    CoapServer s = new CoapServer(config);
    CoapEndpoint e = endpoint.build();
    s.addEndpoint(e);
    value = new ValueResource();
    object = new ObjectResource();
    CoapResource type = new CoapResource("3303");
    type.add(object);
    object.add(value);
    s.add(type);
    s.start();
    if (!e.isStarted()) {
      s.destroy();
      throw new UncheckedIOException(new IOException("CoAP node cannot bind " + bind));
    }
    port = e.getAddress().getPort();
    server = s;
    return this;
  }

  /** Goes silent: the socket closes, nothing answers, the observers are forgotten. */
  public synchronized void stop() {
    if (server != null) {
      server.destroy();
      server = null;
    }
  }

  /** The port it serves on (0 before the first {@link #start()}). */
  public synchronized int port() {
    return port;
  }

  /** The value resource's URI, such as {@code coap://127.0.0.1:40123/3303/0/5700}. */
  public URI uri() {
    return uri(VALUE_PATH);
  }

  /** The object instance's URI, such as {@code coaps://127.0.0.1:40123/3303/0}. */
  public URI objectUri() {
    return uri(OBJECT_PATH);
  }

  private URI uri(String path) {
    String scheme = pskIdentity.isPresent() ? "coaps" : "coap";
    return URI.create(scheme + "://" + address.getHostAddress() + ":" + port() + path);
  }

  /** Measures {@code celsius} now (by the node's clock) and notifies the observers. */
  public void temperature(double celsius) {
    Checks.requireFinite("celsius", celsius);
    this.measurement = new Measurement(celsius, clock.instant());
    this.raw = null;
    changed();
  }

  /** Serves {@code payload} as it is, labelled SenML JSON, from both resources, and notifies. */
  public void payload(String payload) {
    this.raw = Checks.requireNonNull("payload", payload);
    changed();
  }

  /** Whether packs carry the time of measurement ({@code bt}); true at first. */
  public void timestamps(boolean on) {
    this.timestamps = on;
  }

  private synchronized void changed() {
    if (server != null) {
      value.changed();
      object.changed();
    }
  }

  /** The sensor-value pack, or the raw payload. */
  String valuePack() {
    String r = raw;
    if (r != null) {
      return r;
    }
    Measurement m = measurement;
    return "[{\"bn\":\"" + VALUE_PATH + "\"" + time(m) + ",\"bu\":\"Cel\",\"v\":" + number(m.celsius()) + "}]";
  }

  /** The object-instance pack, or the raw payload. */
  String objectPack() {
    String r = raw;
    if (r != null) {
      return r;
    }
    Measurement m = measurement;
    return "[{\"bn\":\"" + OBJECT_PATH + "/\"" + time(m) + ",\"n\":\"5700\",\"v\":" + number(m.celsius()) + "},"
        + "{\"n\":\"5701\",\"vs\":\"Cel\"}]";
  }

  private String time(Measurement m) {
    Instant t = m.at();
    return timestamps
        ? String.format(Locale.ROOT, ",\"bt\":%d.%03d", t.getEpochSecond(), t.getNano() / 1_000_000)
        : "";
  }

  /** The shortest plain decimal of {@code d}, as JSON wants it (no exponent). */
  private static String number(double d) {
    return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
  }

  private void respond(CoapExchange exchange, Supplier<String> pack) {
    int accept = exchange.getRequestOptions().getAccept();
    if (accept != MediaTypeRegistry.UNDEFINED && accept != MediaTypeRegistry.APPLICATION_SENML_JSON) {
      exchange.respond(ResponseCode.NOT_ACCEPTABLE);
      return;
    }
    if (measurement == null && raw == null) {
      exchange.respond(ResponseCode.SERVICE_UNAVAILABLE, "no measurement yet");
      return;
    }
    exchange.setMaxAge(MAX_AGE.toSeconds());
    exchange.respond(ResponseCode.CONTENT, pack.get().getBytes(StandardCharsets.UTF_8),
        MediaTypeRegistry.APPLICATION_SENML_JSON);
  }

  /** IPSO 3303/0/5700, Sensor Value. */
  private final class ValueResource extends CoapResource {
    ValueResource() {
      super("5700");
      setObservable(true);
      setObserveType(Type.CON);
      getAttributes().setObservable();
    }

    @Override
    public void handleGET(CoapExchange exchange) {
      respond(exchange, CoapTemperatureNode.this::valuePack);
    }
  }

  /** IPSO 3303/0, the temperature object's instance. */
  private final class ObjectResource extends CoapResource {
    ObjectResource() {
      super("0");
      setObservable(true);
      setObserveType(Type.CON);
      getAttributes().setObservable();
    }

    @Override
    public void handleGET(CoapExchange exchange) {
      respond(exchange, CoapTemperatureNode.this::objectPack);
    }
  }

  /** Stops serving and wipes the key. */
  @Override
  public void close() {
    stop();
    Arrays.fill(pskKey, (byte) 0);
  }

  @Override
  public String toString() {
    return "CoAP temperature node at " + uri();
  }
}
