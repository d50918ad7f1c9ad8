-- Sangfroid gateway schema, version 4: notifications are written to the database in the same
-- transaction as the alarm change they announce, so a gateway that stops (or crashes) before
-- delivering them delivers them when it starts again; and alarms carry their escalation, so the
-- on-call chain goes on across a restart. Times are UTC epoch milliseconds on the gateway clock.

-- One row per delivery of one message through one channel. Pending while delivered_at and
-- dead_at are both NULL; a dead letter once dead_at is set (given up after notify.retry.giveUpAfter).
CREATE TABLE notifications (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  alarm_id     INTEGER NOT NULL REFERENCES alarms (id),
  event        TEXT    NOT NULL CHECK (event IN ('raised', 'cleared', 'escalated')),
  level        INTEGER NOT NULL,       -- escalation step (1 = first), 0 for raised and cleared
  channel      TEXT    NOT NULL,       -- email or webhook
  target       TEXT    NOT NULL,       -- the recipients (comma-separated) or the webhook URL
  created_at   INTEGER NOT NULL,
  due_at       INTEGER NOT NULL,       -- the next attempt
  attempts     INTEGER NOT NULL,
  last_error   TEXT,
  delivered_at INTEGER,
  dead_at      INTEGER,
  CHECK (delivered_at IS NULL OR dead_at IS NULL)
);

CREATE INDEX notifications_pending ON notifications (due_at) WHERE delivered_at IS NULL AND dead_at IS NULL;
CREATE INDEX notifications_dead ON notifications (dead_at) WHERE dead_at IS NOT NULL;

-- The escalation of an alarm that is not acknowledged: the steps already taken, and when the
-- next is due (NULL: nothing to escalate, e.g. a warning or a site without an on-call chain).
ALTER TABLE alarms ADD COLUMN escalation_level INTEGER NOT NULL DEFAULT 0;
ALTER TABLE alarms ADD COLUMN escalation_due_at INTEGER;

CREATE INDEX alarms_escalation_due ON alarms (escalation_due_at) WHERE escalation_due_at IS NOT NULL;
