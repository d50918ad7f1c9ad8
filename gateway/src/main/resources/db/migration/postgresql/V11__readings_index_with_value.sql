-- The per-unit index also holds the value, so a chart over a long period (a year of 1-minute
-- readings, grouped in buckets) can be answered by an index-only scan. It replaces the (unit, t)
-- index: still one index to maintain per reading on ingest.
CREATE INDEX readings_unit_t_value ON readings (unit, t) INCLUDE (value);
DROP INDEX readings_unit_t;
