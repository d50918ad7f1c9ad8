/** Clocks for running the real components faster than real time (demo, simulation). */
package org.sangfroid.core.time;
