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
		boolean pending = this.jdbc.sql("select " + PENDING.formatted(":resident"))
			.param("resident", residentId)
			.query(Boolean.class)
			.single();
		return rule(pending, direction);
	}

	/** A re-test asked for and not yet resulted. */
	private static final String PENDING = """
			exists (select 1 from testing_followup
			        where resident_id = %s and kind = 'RETEST' and resolved_at is null)""";

	@Override
	public String factSql(String resident, String path) {
		// Read only for scans going out (a case expression evaluates in order).
		return "case when not :out then null when " + PENDING.formatted(resident) + " then 'PENDING' end";
	}

	@Override
	public Optional<Restriction> decide(String fact, Direction direction) {
		return rule(fact != null, direction);
	}

	private static Optional<Restriction> rule(boolean pending, Direction direction) {
		return pending && direction == Direction.OUT ? Optional.of(new Restriction(REASON, true)) : Optional.empty();
	}

}
