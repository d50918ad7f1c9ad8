-- The per-unit index also holds the value, so a chart over a long period (a year of 1-minute
-- readings, grouped in buckets) reads the index alone instead of looking every row up in the
-- table. It replaces the (unit, t) index: still one index to maintain per reading on ingest.
CREATE INDEX readings_unit_t_value ON readings (unit, t, value);
DROP INDEX readings_unit_t;
