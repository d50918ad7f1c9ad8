-- Sangfroid gateway schema, version 8: monthly unit reports signed by a quality manager in the web
-- app. A signature covers the report's data (its content hash), not a PDF file, so it can be
-- checked again at any time: late readings change the hash and the report then says the signature
-- no longer matches. Each signature is also in the audit trail (report.signed). Times are UTC
-- epoch milliseconds on the gateway clock.
CREATE TABLE report_signatures (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  unit         TEXT    NOT NULL,
  period       TEXT    NOT NULL,   -- the month, as 2026-11
  content_hash TEXT    NOT NULL,   -- SHA-256, hex, of the report's canonical data
  signed_by    TEXT    NOT NULL,   -- the logged-in user
  signed_at    INTEGER NOT NULL,
  statement    TEXT    NOT NULL,   -- what the signer declared, in the words shown to them
  comment      TEXT,
  audit_seq    INTEGER NOT NULL    -- the audit trail entry that records it
);

CREATE INDEX report_signatures_unit_period ON report_signatures (unit, period, id);
