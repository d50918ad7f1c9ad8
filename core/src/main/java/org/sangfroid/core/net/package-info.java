/** Network helpers every MQTT client of Sangfroid shares (agent, gateway, simulator). */
package org.sangfroid.core.net;
