/**
 * Scenario files: sites, agents and units with their models, a timeline of events, the run's
 * length and seed, and the alarms the gateway is expected to raise; one immutable record tree,
 * validated all at once.
 */
package org.sangfroid.simulator.scenario;
