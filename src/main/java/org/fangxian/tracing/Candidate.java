package org.fangxian.tracing;

import java.time.Instant;
import java.util.List;

/**
 * A contact candidate of a case (or of a close contact) with every reason the records
 * give.
 *
 * @param residentId null for a non-resident (a visitor at the gate, a worker at the door,
 * someone added by hand)
 * @param name masked (张*丰)
 * @param contactId the decision already taken on this person, if any
 * @param category that decision
 */
public record Candidate(Long residentId, String name, String address, List<Reason> reasons, Long contactId,
		ContactCategory category) {

	/**
	 * @param at when it happened, when the record says (a household has no time)
	 */
	public record Reason(ReasonKind kind, String detail, Instant at) {
	}

	/**
	 * The reasons' evidence in one line (at most 300 characters), to start the tracer's
	 * reason with.
	 */
	public String summary() {
		String text = String.join("；", this.reasons.stream().map(Reason::detail).distinct().toList());
		return text.length() > 300 ? text.substring(0, 300) : text;
	}

	/** The latest time among the reasons: the last contact the records show. */
	public Instant lastAt() {
		return this.reasons.stream()
			.map(Reason::at)
			.filter(java.util.Objects::nonNull)
			.max(Instant::compareTo)
			.orElse(null);
	}

}
