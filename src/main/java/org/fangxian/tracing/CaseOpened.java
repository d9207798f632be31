package org.fangxian.tracing;

import java.time.Instant;

/** A case (病例) was opened; published in the transaction that opened it. */
public record CaseOpened(long caseId, long residentId, CaseKind kind, FoundBy foundBy, Instant reportedAt) {
}
