/**
 * Reports for quality managers and inspectors: the excursion report of one alarm and the monthly
 * report of one unit, as PDF (vector chart, embedded DejaVu Sans font) and CSV, in the reader's
 * language; quality managers' signatures over a report's data (its content hash); and the small
 * bounded executor that generates long reports in the background with their progress.
 */
package org.sangfroid.gateway.report;
