/**
 * The audit trail: append-only, hash-chained entries written in the same transaction as the change
 * they record (alarm transitions, the configuration loaded at start), and their verification.
 */
package org.sangfroid.gateway.audit;
