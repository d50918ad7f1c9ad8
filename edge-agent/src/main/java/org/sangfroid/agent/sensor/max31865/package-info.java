/** PT100/PT1000 probes read through a MAX31865 RTD-to-digital converter on SPI. */
package org.sangfroid.agent.sensor.max31865;
