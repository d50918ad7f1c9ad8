/**
 * The wire contract between edge agents and the gateway: MQTT topic names and the versioned
 * JSON payloads (described for other implementers in docs/protocol.md, with a JSON Schema per
 * payload in this package's resources).
 */
package org.sangfroid.core.wire;
