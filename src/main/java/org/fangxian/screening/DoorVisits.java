package org.fangxian.screening;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Who knocked on a household's door and met someone (敲门行动), for flow tracing: the worker
 * or volunteer at the door is a contact of whoever opened it. The caller checks scope and
 * audits.
 */
@Service
public class DoorVisits {

	private final JdbcClient jdbc;

	private final org.fangxian.security.AccountService accounts;

	DoorVisits(JdbcClient jdbc, org.fangxian.security.AccountService accounts) {
		this.jdbc = jdbc;
		this.accounts = accounts;
	}

	/** A knock answered at the door; {@code visitor} is the account's display name. */
	public record DoorVisit(long attemptId, Instant at, String visitor, String campaign) {
	}

	@Transactional(readOnly = true)
	public List<DoorVisit> answeredAt(long householdId, Instant from, Instant to) {
		record Knock(long attemptId, Instant at, Long accountId, String campaign) {
		}
		List<Knock> knocks = this.jdbc.sql("""
				select a.id, a.visited_at, a.account_id, c.name as campaign
				from screening_visit v join screening_attempt a on a.visit_id = v.id
				join screening_campaign c on c.id = v.campaign_id
				where v.household_id = :household and a.outcome = 'AT_HOME' and a.visited_at between :from and :to
				order by a.visited_at""")
			.param("household", householdId)
			.param("from", Timestamp.from(from))
			.param("to", Timestamp.from(to))
			.query((rs, n) -> new Knock(rs.getLong("id"), rs.getTimestamp("visited_at").toInstant(),
					rs.getObject("account_id", Long.class), rs.getString("campaign")))
			.list();
		// Who knocked: security's names, not its table.
		java.util.Map<Long, String> names = this.accounts.displayNames(knocks.stream()
			.map(Knock::accountId)
			.filter(java.util.Objects::nonNull)
			.collect(java.util.stream.Collectors.toSet()));
		return knocks.stream()
			.map(k -> new DoorVisit(k.attemptId(), k.at(), k.accountId() == null ? null : names.get(k.accountId()),
					k.campaign()))
			.toList();
	}

}
