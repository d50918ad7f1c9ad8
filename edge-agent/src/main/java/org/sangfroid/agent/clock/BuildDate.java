package org.sangfroid.agent.clock;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.jar.Manifest;

/**
 * When this agent was built: a wall clock before it cannot be right, whatever the operating
 * system says (a Pi may start in 1970, or at the time it last saved).
 */
public final class BuildDate {
  /** The manifest attribute the build writes (edge-agent/pom.xml). */
  public static final String ATTRIBUTE = "Sangfroid-Build-Date";
  /** The floor when the agent runs from classes, not its jar (development, tests). */
  public static final Instant FALLBACK = Instant.parse("2026-01-01T00:00:00Z");

  private BuildDate() {}

  /** The build date in the manifest of the jar holding {@code type}, else {@link #FALLBACK}. */
  public static Instant of(Class<?> type) {
    URL url = type.getResource(type.getSimpleName() + ".class");
    if (url == null || !"jar".equals(url.getProtocol())) {
      return FALLBACK;
    }
    try {
      URLConnection c = url.openConnection();
      c.setUseCaches(false);
      Manifest m = ((JarURLConnection) c).getManifest();
      return m == null ? FALLBACK : fromManifest(m).orElse(FALLBACK);
    } catch (IOException | ClassCastException e) {
      return FALLBACK;
    }
  }

  /** The build date a manifest states, if it states a valid one. */
  public static Optional<Instant> fromManifest(Manifest manifest) {
    String value = manifest.getMainAttributes().getValue(ATTRIBUTE);
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(value.strip()));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
