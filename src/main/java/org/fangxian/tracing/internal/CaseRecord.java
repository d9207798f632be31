package org.fangxian.tracing.internal;

import java.time.Instant;

import org.fangxian.shared.InvalidInput;
import org.fangxian.tracing.CaseKind;
import org.fangxian.tracing.CaseStatus;
import org.fangxian.tracing.FoundBy;

/**
 * A case (病例) and the only ways its status moves: isolated at home → transferred (to a
 * hospital or a centralised isolation point, with who and when) → cured and discharged.
 * Anything else is refused.
 */
public record CaseRecord(long id, long residentId, String path, CaseKind kind, FoundBy foundBy, Instant reportedAt,
		Instant onsetAt, Instant sampledAt, String sourceBarcode, String note, CaseStatus status, String transferredTo,
		Instant transferredAt, Instant dischargedAt) {

	/**
	 * Where the look-back starts from: symptom onset; without one (asymptomatic) the
	 * positive sample; without that, the report.
	 */
	public Instant anchor() {
		return this.onsetAt != null ? this.onsetAt : this.sampledAt != null ? this.sampledAt : this.reportedAt;
	}

	/**
	 * The end of exposure: the case was isolated when reported (or when sampled, if the
	 * lab was late).
	 */
	public Instant exposureEnd() {
		return this.sampledAt != null && this.sampledAt.isAfter(this.reportedAt) ? this.sampledAt : this.reportedAt;
	}

	public boolean open() {
		return this.status.open();
	}

	public CaseRecord transfer(String to, Instant at) {
		if (this.status != CaseStatus.HOME_ISOLATED) {
			throw new InvalidInput("status", "tracing.case.transition", this.status.name());
		}
		if (to == null || to.isBlank() || to.strip().length() > 200) {
			throw new InvalidInput("to", "tracing.case.transferTo.required");
		}
		if (at == null || at.isBefore(this.reportedAt.minusSeconds(86_400))) {
			throw new InvalidInput("at", "tracing.case.transferAt.invalid");
		}
		return new CaseRecord(this.id, this.residentId, this.path, this.kind, this.foundBy, this.reportedAt,
				this.onsetAt, this.sampledAt, this.sourceBarcode, this.note, CaseStatus.TRANSFERRED, to.strip(), at,
				null);
	}

	public CaseRecord discharge(Instant at) {
		if (this.status != CaseStatus.TRANSFERRED) {
			throw new InvalidInput("status", "tracing.case.transition", this.status.name());
		}
		if (at == null || at.isBefore(this.transferredAt)) {
			throw new InvalidInput("at", "tracing.case.dischargeAt");
		}
		return new CaseRecord(this.id, this.residentId, this.path, this.kind, this.foundBy, this.reportedAt,
				this.onsetAt, this.sampledAt, this.sourceBarcode, this.note, CaseStatus.DISCHARGED, this.transferredTo,
				this.transferredAt, at);
	}

}
