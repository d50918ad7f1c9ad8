package org.sangfroid.agent.sensor.coap;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.sangfroid.core.check.Checks;

/**
 * How to reach one wireless node and when to call it silent.
 *
 * @param uri {@code coap://HOST[:PORT]/PATH} or {@code coaps://HOST[:PORT]/PATH} (see
 *     {@link #uriProblem(URI)}), normally the IPSO temperature value {@code /3303/0/5700}
 * @param silentAfter a node that has sent nothing newer for this long reads
 *     {@code disconnected} ({@link #MIN_SILENT_AFTER} to {@link #MAX_SILENT_AFTER})
 * @param psk the DTLS pre-shared key; present exactly for {@code coaps://}
 */
public record CoapNode(URI uri, Duration silentAfter, Optional<Psk> psk) {
  public static final Duration MIN_SILENT_AFTER = Duration.ofSeconds(2);
  public static final Duration MAX_SILENT_AFTER = Duration.ofHours(1);
  /** The default of {@code silentAfter}, in sampling ticks. */
  public static final int DEFAULT_SILENT_TICKS = 3;
  /** The path a node serves its temperature at, in IPSO/LwM2M terms. */
  public static final String IPSO_TEMPERATURE = "/3303/0/5700";
  /** The rule for node addresses, for messages. */
  public static final String URI_RULE =
      "be coap://HOST/PATH or coaps://HOST/PATH, such as coap://192.0.2.10" + IPSO_TEMPERATURE;

  public CoapNode {
    Checks.requireNonNull("uri", uri);
    Optional<String> problem = uriProblem(uri);
    Checks.require(problem.isEmpty(), "uri", uri, problem.orElse(""));
    Checks.requireNonNull("silentAfter", silentAfter);
    Checks.require(silentAfter.compareTo(MIN_SILENT_AFTER) >= 0 && silentAfter.compareTo(MAX_SILENT_AFTER) <= 0,
        "silentAfter", silentAfter, "be from " + MIN_SILENT_AFTER + " to " + MAX_SILENT_AFTER);
    Checks.requireNonNull("psk", psk);
    Checks.require(secure(uri) == psk.isPresent(), "psk", psk.map(Psk::identity).orElse("none"),
        "be given for a coaps:// uri and only then");
  }

  /** True for {@code coaps://}: DTLS with a pre-shared key. */
  public boolean secure() {
    return secure(uri);
  }

  private static boolean secure(URI uri) {
    return "coaps".equalsIgnoreCase(uri.getScheme());
  }

  /**
   * What is wrong with {@code uri} as a node's address, as a rule for a message, or empty when
   * it is fine: scheme coap or coaps, a host, an optional port, a path, no user, query
   * parameters are kept (LwM2M attributes such as {@code ?pmax=60}), no fragment.
   */
  public static Optional<String> uriProblem(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean ok = (scheme.equals("coap") || scheme.equals("coaps"))
        && uri.getHost() != null
        && uri.getRawUserInfo() == null
        && uri.getRawFragment() == null
        && uri.getRawPath() != null && uri.getRawPath().length() > 1;
    return ok ? Optional.empty() : Optional.of(URI_RULE);
  }
}
