package org.sangfroid.gateway.store;

import java.util.Optional;

/**
 * A quality manager's signature of a report, as stored (V8).
 *
 * @param period what the report covers: a month, as {@code 2026-11}
 * @param contentHash SHA-256, hex, of the report's data when it was signed
 * @param signedAt gateway clock, epoch ms
 * @param statement what the signer declared, in the words they were shown
 * @param auditSeq the audit trail entry ({@code report.signed}) that records it
 */
public record SignatureRow(long id, String unit, String period, String contentHash, String signedBy, long signedAt,
    String statement, Optional<String> comment, long auditSeq) {}
