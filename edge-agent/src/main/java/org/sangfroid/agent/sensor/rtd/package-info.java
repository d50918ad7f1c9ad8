/** Platinum resistance thermometers (PT100, PT1000): the IEC 60751 Callendar–Van Dusen conversion both ways. */
package org.sangfroid.agent.sensor.rtd;
