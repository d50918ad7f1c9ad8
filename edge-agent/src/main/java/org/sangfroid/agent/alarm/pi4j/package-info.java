/**
 * The alarm buzzer, LED and mute button on Pi4J digital I/O, through providers chosen by name
 * (Linux sysfs GPIO in production), never by classpath auto-detection.
 */
package org.sangfroid.agent.alarm.pi4j;
