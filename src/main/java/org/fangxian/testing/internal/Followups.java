package org.fangxian.testing.internal;

import java.time.Instant;
import java.util.List;

import org.fangxian.audit.AuditEvent;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.NotFound;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What lab results ask the community to do, as alerts for the community worker: people of
 * a positive pooled tube (individual re-test, home isolation pending the result) and of
 * an invalid tube (sample again). Each is seen by the jurisdiction the person lives in,
 * and acknowledged once.
 */
@Service
public class Followups {

	private final JdbcClient jdbc;

	private final ApplicationEventPublisher events;

	Followups(JdbcClient jdbc, ApplicationEventPublisher events) {
		this.jdbc = jdbc;
		this.events = events;
	}

	public record Followup(long id, long roundId, String roundName, String barcode, long residentId, String name,
			String address, String kind, Instant createdAt) {
	}

	@Transactional(readOnly = true)
	public List<Followup> open(CurrentUser user) {
		user.require(Permission.MANAGE_TESTING);
		return this.jdbc
			.sql("""
					select f.id, f.round_id, rd.name, t.barcode, f.resident_id, r.name, coalesce(h.address, r.address, ''), f.kind, f.created_at
					from testing_followup f join testing_round rd on rd.id = f.round_id join tube t on t.id = f.tube_id
					join registry_resident r on r.id = f.resident_id left join registry_household h on h.id = r.household_id
					where f.path like :scope and f.acknowledged_at is null
					order by f.kind desc, f.id limit 1000""")
			.param("scope", user.scopePattern())
			.query((rs, n) -> new Followup(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
					rs.getLong(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getTimestamp(9).toInstant()))
			.list();
	}

	@Transactional
	public void acknowledge(CurrentUser user, long id) {
		user.require(Permission.MANAGE_TESTING);
		String path = this.jdbc.sql("select path from testing_followup where id = :id and acknowledged_at is null")
			.param("id", id)
			.query(String.class)
			.optional()
			.orElseThrow(() -> new NotFound("testing.followup.notFound"));
		user.requireCovers(path);
		this.jdbc.sql("update testing_followup set acknowledged_at = now(), acknowledged_by = :by where id = :id")
			.param("by", user.accountId())
			.param("id", id)
			.update();
		this.events.publishEvent(AuditEvent.of(user, "TESTING_FOLLOWUP_ACKNOWLEDGED", "testing_followup", id, null));
	}

}
