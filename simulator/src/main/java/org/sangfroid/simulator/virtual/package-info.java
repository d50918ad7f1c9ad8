/**
 * Virtual edge agents: each speaks the wire protocol to the broker as a real agent does
 * (sequence numbers, batches at QoS 1, an outbox kept until the gateway's ack, events on their
 * own topic), without sensors, SQLite or a clock of its own.
 */
package org.sangfroid.simulator.virtual;
