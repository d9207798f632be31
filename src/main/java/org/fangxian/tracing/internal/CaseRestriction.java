package org.fangxian.tracing.internal;

import java.time.Instant;
import java.util.Optional;

import org.fangxian.checkpoint.Direction;
import org.fangxian.checkpoint.EntryRestriction;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * At the gate: a case (病例) not yet discharged passes no gate, either way, and the
 * community is alerted at once (a case at the gate is out of isolation). One probe of a
 * partial unique index.
 */
@Component
class CaseRestriction implements EntryRestriction {

	static final String REASON = "gate.deny.case";

	private final JdbcClient jdbc;

	CaseRestriction(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public Optional<Restriction> check(long residentId, Direction direction, Instant at) {
		boolean open = this.jdbc.sql("select " + OPEN_CASE.formatted(":resident"))
			.param("resident", residentId)
			.query(Boolean.class)
			.single();
		return rule(open);
	}

	/** Whether the resident is a case not yet discharged. */
	private static final String OPEN_CASE = "exists (select 1 from tracing_case where resident_id = %s and status <> 'DISCHARGED')";

	@Override
	public String factSql(String resident, String path) {
		return "case when " + OPEN_CASE.formatted(resident) + " then 'OPEN' end";
	}

	@Override
	public Optional<Restriction> decide(String fact, Direction direction) {
		return rule(fact != null);
	}

	private static Optional<Restriction> rule(boolean openCase) {
		return openCase ? Optional.of(new Restriction(REASON, true)) : Optional.empty();
	}

}
