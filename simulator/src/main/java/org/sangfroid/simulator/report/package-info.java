/**
 * The outcome of a scenario run, as validation evidence: expected alarms against the ones the
 * gateway raised (matched with their detection delay, missing, unexpected), readings taken,
 * sent and stored, written as JSON and as a self-contained HTML page with charts.
 */
package org.sangfroid.simulator.report;
