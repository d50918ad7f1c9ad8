-- Sangfroid gateway schema, version 7: the people who log in to the web app. Times are UTC epoch
-- milliseconds. Who added a user, and when, is in the audit trail (user.added).
CREATE TABLE users (
  name          TEXT    NOT NULL PRIMARY KEY,  -- the login name, as given to 'user add'
  role          TEXT    NOT NULL CHECK (role IN ('viewer', 'technician', 'qm', 'admin')),
  language      TEXT    NOT NULL CHECK (language IN ('en', 'fr')),
  password_hash TEXT    NOT NULL,              -- Argon2id in PHC form ($argon2id$v=19$...); never the password
  created_at    INTEGER NOT NULL               -- gateway clock
);
