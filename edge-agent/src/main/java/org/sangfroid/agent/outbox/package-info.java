/** The durable SQLite outbox: every reading stays here until the gateway acknowledges it. */
package org.sangfroid.agent.outbox;
