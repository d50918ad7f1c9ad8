-- Which of its agent's readings a saved engine state includes: every reading of the unit from
-- agent site/agent up to seq. On PostgreSQL, whose schema several gateways may share, the state
-- is saved in every transaction as before; on SQLite the gateway keeps the states in memory and
-- saves them every few seconds, and after a crash evaluates the unit's readings stored after seq
-- again. Same columns in both, so a gateway's start treats them alike.
-- NULL in rows written before this version: they include everything acknowledged (the gateway
-- fills these in at its next start).
ALTER TABLE unit_state ADD COLUMN site TEXT;
ALTER TABLE unit_state ADD COLUMN agent TEXT;
ALTER TABLE unit_state ADD COLUMN seq BIGINT;
