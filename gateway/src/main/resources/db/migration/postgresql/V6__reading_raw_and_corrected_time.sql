-- Sangfroid gateway schema, version 6, for PostgreSQL, as sqlite/V6: a reading keeps what the
-- probe said before its calibration corrected it, and whether its time was corrected by the agent.
ALTER TABLE readings
  ADD COLUMN raw DOUBLE PRECISION,
  ADD COLUMN time_corrected INTEGER NOT NULL DEFAULT 0;
