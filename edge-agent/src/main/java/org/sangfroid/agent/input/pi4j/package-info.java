/** The input pins on Pi4J's digital inputs (Linux sysfs GPIO in production, the mock platform in tests). */
package org.sangfroid.agent.input.pi4j;
