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
	 * The same rule's facts as one SQL scalar expression, read as text (null allowed), so
	 * that the gate reads the resident and every rule's facts in one statement (issue
	 * 17); {@link #decide} then applies the rule to them. The expression names only its
	 * own module's tables. {@code resident} and {@code path} are SQL expressions for the
	 * resident's id and path; the statement binds {@code :at} (timestamptz, the scan's
	 * time), {@code :today} (the day of {@code :at} in the application's zone) and
	 * {@code :out} (boolean, going out), and no other name: a read of several scans at
	 * once puts each scan's values in their place.
	 * @return null when the rule has no such form: the gate then calls {@link #check}
	 */
	default String factSql(String resident, String path) {
		return null;
	}

	/**
	 * The rule over the fact {@link #factSql} read: the same answer {@link #check} gives
	 * for the same data.
	 */
	default Optional<Restriction> decide(String fact, Direction direction) {
		throw new UnsupportedOperationException(getClass().getName() + " publishes no fact SQL");
	}

	/**
	 * @param reason message key shown to the guard (e.g. {@code gate.deny.sealed})
	 * @param alert whether the community worker must be told at once
	 */
	record Restriction(String reason, boolean alert) {
	}

}
