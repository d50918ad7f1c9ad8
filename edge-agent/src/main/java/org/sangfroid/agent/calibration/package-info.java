/**
 * Probe calibration: each probe's certificate (id, date, due date) and its correction (an
 * offset, or two points), applied to every valid reading; the raw value is kept beside it.
 */
package org.sangfroid.agent.calibration;
