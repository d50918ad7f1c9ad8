-- Sangfroid gateway schema, version 1. Times are UTC epoch milliseconds.

-- Every reading an agent delivered, stored once per (site, agent, seq).
CREATE TABLE readings (
  site        TEXT    NOT NULL,
  agent       TEXT    NOT NULL,
  seq         INTEGER NOT NULL,
  unit        TEXT    NOT NULL,
  sensor      TEXT    NOT NULL,
  t           INTEGER NOT NULL,          -- measurement time (device clock)
  value       REAL,                      -- degrees C; NULL unless quality = 'ok'
  quality     TEXT    NOT NULL,          -- ok, out_of_range, crc_error, disconnected, power_on_reset
  synced      INTEGER NOT NULL,          -- 0 when the device clock was not synchronised
  received_at INTEGER NOT NULL,          -- gateway clock
  PRIMARY KEY (site, agent, seq)
) WITHOUT ROWID;

CREATE INDEX readings_unit_t ON readings (unit, t);

-- Each agent's acknowledged watermark (every seq from 1 to acked_seq is stored) and health.
CREATE TABLE agents (
  site         TEXT    NOT NULL,
  agent        TEXT    NOT NULL,
  acked_seq    INTEGER NOT NULL DEFAULT 0,
  last_seen    INTEGER,
  online       INTEGER NOT NULL DEFAULT 0,
  version      TEXT,
  started_at   INTEGER,
  outbox_depth INTEGER,
  PRIMARY KEY (site, agent)
);

-- The excursion engine's state per unit (core UnitState as JSON), so a restart continues.
CREATE TABLE unit_state (
  unit       TEXT    NOT NULL PRIMARY KEY,
  state      TEXT    NOT NULL,
  updated_at INTEGER NOT NULL
);

-- Alarms. Start, raise, clear and peak are measurement times and values, never arrival times.
CREATE TABLE alarms (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  site          TEXT    NOT NULL,
  unit          TEXT    NOT NULL,
  kind          TEXT    NOT NULL,        -- HIGH_TEMPERATURE, LOW_TEMPERATURE, MONITORING_LOST
  state         TEXT    NOT NULL CHECK (state IN ('ACTIVE', 'CLEARED')),
  started_at    INTEGER NOT NULL,
  raised_at     INTEGER NOT NULL,
  cleared_at    INTEGER,
  trigger_value REAL,
  limit_value   REAL,
  peak          REAL,
  late          INTEGER NOT NULL
);

-- At most one active alarm per unit and kind.
CREATE UNIQUE INDEX alarms_one_active ON alarms (unit, kind) WHERE state = 'ACTIVE';
CREATE INDEX alarms_state ON alarms (state, id);
