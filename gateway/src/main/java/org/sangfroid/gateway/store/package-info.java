/**
 * The gateway's database: SQLite (one file, WAL, synchronous=FULL) by default, or PostgreSQL
 * given a JDBC URL, with the same SQL through JDBC ({@link org.sangfroid.gateway.store.Dialect}
 * holds the little that differs). Writes go through one serialised transaction at a time.
 *
 * <p>The schema is in Flyway migrations, one folder per database with the same versions in each:
 * {@code db/migration/sqlite/V<n>__<what>.sql} and {@code db/migration/postgresql/V<n>__<what>.sql}.
 * A new version adds a file to both folders. Never edit a released migration: Flyway checks the
 * checksums of those already applied, and a gateway refuses to start on a mismatch.
 */
package org.sangfroid.gateway.store;
