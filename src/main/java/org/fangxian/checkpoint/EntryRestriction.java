package org.fangxian.checkpoint;

import java.time.Instant;
import java.util.Optional;

/**
 * A rule another module contributes to gate decisions, e.g. containment (sealed unit,
 * home quarantine) or testing (test overdue in an active round). Implement it as a bean
 * in that module; the checkpoint asks every implementation and denies on the first reason
 * given.
 */
public interface EntryRestriction {

	/**
	 * @return a message key explaining why this resident may not pass this way now, or
	 * empty
	 */
	Optional<Restriction> check(long residentId, Direction direction, Instant at);

	/**
	 * @param reason message key shown to the guard (e.g. {@code gate.deny.sealed})
	 * @param alert whether the community worker must be told at once
	 */
	record Restriction(String reason, boolean alert) {
	}

}
