/** Sensirion SHT3x and SHT4x temperature and humidity sensors on I2C, with their CRC-8 checked. */
package org.sangfroid.agent.sensor.sht;
