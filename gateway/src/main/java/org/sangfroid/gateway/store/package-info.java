/**
 * The gateway's database: SQLite (WAL, synchronous=FULL) with its schema in Flyway migrations
 * ({@code db/migration}). Writes go through one serialised transaction at a time.
 */
package org.sangfroid.gateway.store;
