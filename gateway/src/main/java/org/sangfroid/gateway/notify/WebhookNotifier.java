package org.sangfroid.gateway.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * POSTs each notification's JSON ({@link Notification#json()}) to a URL with the header
 * {@code X-Sangfroid-Signature: sha256=<hex HMAC-SHA256 of the body with the shared secret>}, so
 * the receiver can check it came from this gateway unaltered. Any 2xx status means delivered;
 * the request times out after 10 s.
 */
public final class WebhookNotifier implements Notifier {
  public static final String SIGNATURE_HEADER = "X-Sangfroid-Signature";
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final URI url;
  private final byte[] secret;
  private final HttpClient http;

  /** @param secret the HMAC-SHA256 key (the secret file's first line, UTF-8) */
  public WebhookNotifier(URI url, byte[] secret, HttpClient http) {
    if (secret.length == 0) {
      throw new IllegalArgumentException("notify.webhooks.secretFile must not be empty");
    }
    this.url = url;
    this.secret = secret.clone();
    this.http = http;
  }

  /** An HTTP client suited to webhooks: 10 s connect timeout, no redirects. */
  public static HttpClient client() {
    return HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** {@code sha256=} and the hex HMAC-SHA256 of {@code body} with {@code key}. */
  public static String signature(byte[] key, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("every Java runtime has HmacSHA256", e);
    }
  }

  /** The URL, for logs and dead letters. */
  public String target() {
    return url.toString();
  }

  @Override
  public void deliver(Notification n) {
    byte[] body = n.json();
    HttpRequest request = HttpRequest.newBuilder(url)
        .timeout(TIMEOUT)
        .header("Content-Type", "application/json")
        .header("User-Agent", "Sangfroid-gateway")
        .header(SIGNATURE_HEADER, signature(secret, body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    HttpResponse<Void> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      throw new DeliveryException("POST " + url + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeliveryException("POST " + url + ": interrupted", e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new DeliveryException("POST " + url + ": HTTP " + response.statusCode());
    }
  }
}
