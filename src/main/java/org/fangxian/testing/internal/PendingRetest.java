package org.fangxian.testing.internal;

import java.time.Instant;
import java.util.Optional;

import org.fangxian.checkpoint.Direction;
import org.fangxian.checkpoint.EntryRestriction;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * At the gate: a person of a positive pooled tube stays home until their individual
 * re-test comes back (待复核). Going out is denied and the community alerted; coming home is
 * allowed, so that whoever was out when the result came gets home. One probe of a partial
 * index holding only the pending.
 */
@Component
public class PendingRetest implements EntryRestriction {

	static final String REASON = "gate.deny.pendingRetest";

	private final JdbcClient jdbc;

	PendingRetest(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public Optional<Restriction> check(long residentId, Direction direction, Instant at) {
		if (direction != Direction.OUT) {
			return Optional.empty();
		}
		boolean pending = this.jdbc.sql("""
				select exists (select 1 from testing_followup
				               where resident_id = :resident and kind = 'RETEST' and resolved_at is null)""")
			.param("resident", residentId)
			.query(Boolean.class)
			.single();
		return pending ? Optional.of(new Restriction(REASON, true)) : Optional.empty();
	}

}
