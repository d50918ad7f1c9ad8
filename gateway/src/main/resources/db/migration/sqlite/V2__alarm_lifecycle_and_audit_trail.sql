-- Sangfroid gateway schema, version 2: the alarm lifecycle (acknowledge, close) and the
-- hash-chained audit trail. Times are UTC epoch milliseconds.

-- Alarms keep two facts apart: the condition (set by the engine at measurement times: on while
-- cleared_at IS NULL) and the workflow (set by people: acknowledged, then closed). The state
-- shown to people (ACTIVE, ACKNOWLEDGED, CLEARED, CLOSED) is derived from them, never stored.
-- SQLite cannot drop the old state column's CHECK, so the table is rebuilt; ids are kept.
CREATE TABLE alarms_v2 (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  site            TEXT    NOT NULL,
  unit            TEXT    NOT NULL,
  kind            TEXT    NOT NULL,      -- core's AlarmKind name
  started_at      INTEGER NOT NULL,      -- measurement time
  raised_at       INTEGER NOT NULL,      -- measurement time
  cleared_at      INTEGER,               -- measurement time; NULL while the condition is on
  trigger_value   REAL,
  limit_value     REAL,
  peak            REAL,
  late            INTEGER NOT NULL,
  acknowledged_at INTEGER,               -- gateway clock
  acknowledged_by TEXT,
  ack_comment     TEXT,
  closed_at       INTEGER,               -- gateway clock
  closed_by       TEXT,
  root_cause      TEXT,
  disposition     TEXT CHECK (disposition IN ('released', 'quarantined', 'discarded')),
  CHECK ((acknowledged_at IS NULL) = (acknowledged_by IS NULL)),
  CHECK ((closed_at IS NULL) = (closed_by IS NULL)),
  CHECK (closed_at IS NULL OR (acknowledged_at IS NOT NULL AND disposition IS NOT NULL))
);

INSERT INTO alarms_v2 (id, site, unit, kind, started_at, raised_at, cleared_at, trigger_value, limit_value,
    peak, late)
  SELECT id, site, unit, kind, started_at, raised_at, cleared_at, trigger_value, limit_value, peak, late
  FROM alarms;

DROP TABLE alarms;
ALTER TABLE alarms_v2 RENAME TO alarms;

-- At most one alarm with its condition on per unit and kind. An earlier alarm that is cleared
-- but not yet closed does not count: a new excursion is a new alarm.
CREATE UNIQUE INDEX alarms_condition_on ON alarms (unit, kind) WHERE cleared_at IS NULL;
CREATE INDEX alarms_open ON alarms (closed_at, id);

-- Every transition of every alarm, in order: raised and cleared by the engine (actor 'system',
-- at = the measurement time), acknowledged and closed by people (at = the gateway clock).
CREATE TABLE alarm_history (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  alarm_id    INTEGER NOT NULL REFERENCES alarms (id),
  at          INTEGER NOT NULL,
  event       TEXT    NOT NULL CHECK (event IN ('raised', 'cleared', 'acknowledged', 'closed')),
  actor       TEXT    NOT NULL,          -- 'system' for the engine; the user as given otherwise
  comment     TEXT,                      -- the reason (acknowledged), root cause and disposition (closed)
  recorded_at INTEGER NOT NULL           -- gateway clock
);

CREATE INDEX alarm_history_alarm ON alarm_history (alarm_id, id);

-- Alarms stored by schema version 1 get their history from what they recorded.
INSERT INTO alarm_history (alarm_id, at, event, actor, comment, recorded_at)
  SELECT id, raised_at, 'raised', 'system', 'recorded before the alarm history existed', raised_at FROM alarms;
INSERT INTO alarm_history (alarm_id, at, event, actor, comment, recorded_at)
  SELECT id, cleared_at, 'cleared', 'system', 'recorded before the alarm history existed', cleared_at
  FROM alarms WHERE cleared_at IS NOT NULL;

-- The audit trail: append-only, written in the same transaction as the change it records.
-- hash = SHA-256 over prev_hash and the entry's fields (see audit.AuditTrail); the first entry's
-- prev_hash is 64 zeros. seq is deliberately not UNIQUE: the gateway assigns seq = last + 1
-- under its write lock, and anyone who can edit this file can drop a constraint anyway, so
-- duplicates, gaps and broken links are what 'audit verify' looks for.
CREATE TABLE audit_trail (
  seq       INTEGER NOT NULL,
  time      INTEGER NOT NULL,            -- gateway clock
  actor     TEXT    NOT NULL,            -- 'system' or the user as given
  action    TEXT    NOT NULL,            -- alarm.raised, alarm.cleared, alarm.acknowledged, alarm.closed, config.loaded
  subject   TEXT    NOT NULL,            -- alarm/12, gateway
  details   TEXT    NOT NULL,            -- canonical JSON (keys sorted, no spaces)
  prev_hash TEXT    NOT NULL,
  hash      TEXT    NOT NULL
);

CREATE INDEX audit_trail_seq ON audit_trail (seq);
