package org.sangfroid.gateway.store;

/**
 * One time bucket of a unit's chart: what its valid readings were. A bucket without a valid
 * reading is not stored, so there is none with {@code count} 0.
 *
 * @param index the bucket's number from the chart's start: it covers measurement times
 *     [{@code from + index * width}, {@code from + (index + 1) * width})
 * @param min the lowest valid reading, °C
 * @param max the highest valid reading, °C: a one-minute peak stays visible on a year's chart
 * @param mean the mean of the valid readings, °C
 * @param count how many valid readings it holds, at least 1
 */
public record ChartBucket(long index, double min, double max, double mean, long count) {}
