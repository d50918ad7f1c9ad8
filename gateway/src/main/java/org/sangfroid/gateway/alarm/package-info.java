/**
 * Alarms: turning the excursion engine's events into stored alarms (one active alarm per unit and
 * kind; start, peak and end are measurement times), the scheduled monitoring-lost check, and the
 * alarm events published for other systems.
 */
package org.sangfroid.gateway.alarm;
