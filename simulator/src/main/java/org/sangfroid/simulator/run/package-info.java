/**
 * Running a scenario: its units stepped on a virtual clock, virtual agents publishing to a real
 * gateway started for the simulation, and the alarms it raised read back for the report.
 */
package org.sangfroid.simulator.run;
