package org.sangfroid.agent.tls;

import java.nio.file.Path;
import org.sangfroid.core.check.Checks;

/** A TLS file (CA, certificate, key) that cannot be used; the message never holds its content. */
public final class TlsFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String rule;

  TlsFileException(String key, Path file, String rule) {
    super(Checks.message(key, file, rule));
    this.rule = rule;
  }

  /** What the file must be and what it was, as in {@code must RULE}. */
  public String rule() {
    return rule;
  }
}
