-- Which of its agent's readings a saved engine state includes: every reading of the unit from
-- agent site/agent up to seq. The gateway keeps the states in memory and saves them every few
-- seconds (and at a clean stop) instead of in every transaction; after a crash it evaluates the
-- unit's readings stored after seq again, from the readings table, to bring the state back.
-- NULL in rows written before this version: they were saved in every transaction, so they
-- include everything acknowledged (the gateway fills these in at its next start).
ALTER TABLE unit_state ADD COLUMN site TEXT;
ALTER TABLE unit_state ADD COLUMN agent TEXT;
ALTER TABLE unit_state ADD COLUMN seq INTEGER;
