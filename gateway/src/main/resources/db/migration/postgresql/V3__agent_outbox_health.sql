-- Sangfroid gateway schema, version 3, for PostgreSQL: the health of each agent's outbox, from
-- its status messages (issue 3), as sqlite/V3. NULL until an agent that reports them sends a status.

-- Measurement time (device clock, UTC epoch ms) of the oldest reading waiting in the agent's
-- outbox; NULL when the outbox is empty or the agent did not say.
ALTER TABLE agents ADD COLUMN oldest_unsent BIGINT;

-- Readings the agent dropped from its full outbox since that outbox was created.
ALTER TABLE agents ADD COLUMN readings_dropped BIGINT;
