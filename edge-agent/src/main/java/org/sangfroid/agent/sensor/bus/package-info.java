/**
 * The narrow ports between probe drivers and the hardware buses they talk over (SPI, I2C), the
 * addresses of devices on them, and the pause a driver makes while a chip converts.
 */
package org.sangfroid.agent.sensor.bus;
