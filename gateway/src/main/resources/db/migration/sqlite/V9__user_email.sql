-- Sangfroid gateway schema, version 9: a web user's e-mail address, so that the alarm e-mails
-- sent to that address speak the user's language. Optional; at most one user per address (case
-- does not matter in an address). V8 belongs to another change; Flyway accepts the gap.
ALTER TABLE users ADD COLUMN email TEXT;
CREATE UNIQUE INDEX users_email ON users (lower(email));
