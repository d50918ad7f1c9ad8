/**
 * The one place that touches Pi4J: SPI and I2C ports on Pi4J devices, opened through providers
 * chosen by name (Linux spidev and i2c-dev in production), never by classpath auto-detection.
 */
package org.sangfroid.agent.sensor.pi4j;
