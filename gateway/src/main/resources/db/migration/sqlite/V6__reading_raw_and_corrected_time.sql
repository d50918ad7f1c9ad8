-- Sangfroid gateway schema, version 6: a reading keeps what the probe said before its calibration
-- corrected it (raw, NULL when no calibration changed it), and whether its time was corrected by
-- the agent once the device clock was synchronised (a Pi has no real-time clock).
ALTER TABLE readings ADD COLUMN raw REAL;
ALTER TABLE readings ADD COLUMN time_corrected INTEGER NOT NULL DEFAULT 0;
