/** Drains the outbox to the gateway over MQTT and forgets readings only on the gateway's ack. */
package org.sangfroid.agent.publish;
