/** On-site alarms: core's excursion engine run on the agent's own readings, driving the console, a buzzer and an LED. */
package org.sangfroid.agent.alarm;
