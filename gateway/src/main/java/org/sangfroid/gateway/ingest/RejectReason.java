package org.sangfroid.gateway.ingest;

import java.util.Locale;

/** Why a message from the network was not stored; the {@link #tag()} is the metric tag. */
public enum RejectReason {
  /** Not JSON, or not a JSON object. */
  MALFORMED,
  /** A protocol version this gateway does not speak. */
  VERSION,
  /** JSON that breaks the wire contract (missing field, bad id, seq out of order…). */
  SCHEMA,
  /** The topic is not an agent topic, or the payload names another site or agent than it. */
  IDENTITY,
  /** The agent is not in the gateway's configuration. */
  UNKNOWN_AGENT,
  /** A reading names a unit that is not one of the agent's configured units. */
  UNKNOWN_UNIT;

  /** The name used in metrics and logs: {@code unknown_agent}. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The reason for a core {@code Decoded.Invalid} code; unknown codes count as schema. */
  static RejectReason ofDecodeCode(String code) {
    for (RejectReason r : values()) {
      if (r.tag().equals(code)) {
        return r;
      }
    }
    return SCHEMA;
  }
}
