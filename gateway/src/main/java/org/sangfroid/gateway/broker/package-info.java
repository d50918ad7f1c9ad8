/** The MQTT broker the gateway runs in its own process when no external broker is configured. */
package org.sangfroid.gateway.broker;
