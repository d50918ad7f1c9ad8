-- Sangfroid gateway schema, version 5, for PostgreSQL, as sqlite/V5: agent events (door, mains power, agitator, alarm mute,
-- the agent's own alarms), stored once per (site, agent, event seq), with their own watermark.
-- Times are UTC epoch milliseconds.
CREATE TABLE events (
  site        TEXT    NOT NULL,
  agent       TEXT    NOT NULL,
  seq         BIGINT  NOT NULL,          -- the agent's event seq (not a reading seq)
  unit        TEXT    NOT NULL,
  type        TEXT    NOT NULL,          -- door_open, power_lost, agitator_stopped, alarm_muted, local_alarm
  active      INTEGER NOT NULL,          -- 1: the condition started; 0: it ended
  detail      TEXT    NOT NULL,          -- local_alarm: the alarm kind; else empty
  t           BIGINT  NOT NULL,          -- when it happened (device clock)
  synced      INTEGER NOT NULL,          -- 0 when the device clock was not synchronised
  received_at BIGINT  NOT NULL,          -- gateway clock
  PRIMARY KEY (site, agent, seq)
);

CREATE INDEX events_unit_t ON events (unit, t);

-- Every event seq from 1 to events_acked is stored.
ALTER TABLE agents ADD COLUMN events_acked BIGINT NOT NULL DEFAULT 0;
