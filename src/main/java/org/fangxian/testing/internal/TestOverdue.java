package org.fangxian.testing.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import org.fangxian.checkpoint.Direction;
import org.fangxian.checkpoint.EntryRestriction;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * At the gate: a resident who is expected in an open round whose window has ended, and
 * has no valid swab, is turned to the sampling site first (核酸检测逾期). One look-up on a
 * partial index that holds only the unsampled, so it costs the gate next to nothing;
 * closing the round lifts it.
 */
@Component
public class TestOverdue implements EntryRestriction {

	static final String REASON = "gate.deny.testOverdue";

	private final JdbcClient jdbc;

	TestOverdue(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public Optional<Restriction> check(long residentId, Direction direction, Instant at) {
		boolean overdue = this.jdbc.sql("select " + OVERDUE.formatted(":resident"))
			.param("resident", residentId)
			.param("at", Timestamp.from(at))
			.query(Boolean.class)
			.single();
		return rule(overdue);
	}

	/** Expected in an open round whose window ended before :at, and not sampled. */
	private static final String OVERDUE = """
			exists (select 1 from round_member m join testing_round r on r.id = m.round_id
			        where m.resident_id = %s and m.state = 'NONE' and m.exempt is null
			          and r.status = 'OPEN' and r.ends_at < :at)""";

	@Override
	public String factSql(String resident, String path) {
		return "case when " + OVERDUE.formatted(resident) + " then 'OVERDUE' end";
	}

	@Override
	public Optional<Restriction> decide(String fact, Direction direction) {
		return rule(fact != null);
	}

	private static Optional<Restriction> rule(boolean overdue) {
		return overdue ? Optional.of(new Restriction(REASON, false)) : Optional.empty();
	}

}
