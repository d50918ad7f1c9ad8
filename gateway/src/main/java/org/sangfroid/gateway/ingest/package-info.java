/**
 * Ingest: messages from agents, validated (topic, version, schema, identity, configuration),
 * stored once per (site, agent, seq), fed to the excursion engine and acknowledged with the
 * agent's watermark. {@link org.sangfroid.gateway.ingest.Ingest} is the logic; {@link
 * org.sangfroid.gateway.ingest.MqttLink} the Paho plumbing around it.
 */
package org.sangfroid.gateway.ingest;
