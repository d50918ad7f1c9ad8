/** Temperature probes behind the {@link org.sangfroid.agent.sensor.TemperatureSensor} port, and the DS18B20 1-Wire driver. */
package org.sangfroid.agent.sensor;
