package org.fangxian.checkpoint.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import org.fangxian.checkpoint.Checkpoints;
import org.fangxian.checkpoint.GateAlert;
import org.fangxian.checkpoint.GateAlerts;
import org.fangxian.registry.ResidentDirectory;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.PersonNames;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Live counts per checkpoint and day, and the alerts waiting for a community worker. */
@Service
public class GateCounters implements GateAlerts {

	private final JdbcClient jdbc;

	private final Checkpoints checkpoints;

	private final Clock clock;

	private final ResidentDirectory directory;

	GateCounters(JdbcClient jdbc, Checkpoints checkpoints, Clock clock, ResidentDirectory directory) {
		this.directory = directory;
		this.jdbc = jdbc;
		this.checkpoints = checkpoints;
		this.clock = clock;
	}

	/**
	 * One day at one checkpoint. {@code denied} counts real denials only; {@code errors}
	 * the scans that could not be read and were retried.
	 */
	public record Counts(long in, long out, long denied, long turnedBack, long fever, long visitors, long errors) {
	}

	public Counts today(CurrentUser user, long checkpointId) {
		return on(user, checkpointId, LocalDate.now(this.clock));
	}

	public Counts on(CurrentUser user, long checkpointId, LocalDate day) {
		ZoneId zone = this.clock.getZone();
		return between(user, checkpointId, day.atStartOfDay(zone).toInstant(),
				day.plusDays(1).atStartOfDay(zone).toInstant());
	}

	/** Counts for any window, e.g. one shift (07:00-14:00). */
	public Counts between(CurrentUser user, long checkpointId, java.time.Instant start, java.time.Instant end) {
		long district = this.checkpoints.get(user, checkpointId).districtId();
		if (!end.isAfter(start)) {
			throw new org.fangxian.shared.InvalidInput("to", "checkpoint.window.empty");
		}
		Timestamp from = Timestamp.from(start);
		Timestamp to = Timestamp.from(end);
		Counts scans = this.jdbc.sql("""
				select count(*) filter (where decision = 'ALLOW' and direction = 'IN'),
				       count(*) filter (where decision = 'ALLOW' and direction = 'OUT'),
				       count(*) filter (where decision = 'DENY'),
				       count(*) filter (where reason = 'gate.deny.fever'),
				       count(*) filter (where decision = 'ERROR')
				from gate_scan
				where district_id = :d and checkpoint_id = :c and scanned_at >= :from and scanned_at < :to""")
			.param("d", district)
			.param("c", checkpointId)
			.param("from", from)
			.param("to", to)
			.query((rs, i) -> new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3), 0, rs.getLong(4), 0,
					rs.getLong(5)))
			.single();
		long[] visits = this.jdbc.sql("""
				select count(*) filter (where kind = 'TURN_BACK'), count(*) filter (where kind <> 'TURN_BACK')
				from gate_visit where district_id = :d and checkpoint_id = :c and at >= :from and at < :to""")
			.param("d", district)
			.param("c", checkpointId)
			.param("from", from)
			.param("to", to)
			.query((rs, i) -> new long[] { rs.getLong(1), rs.getLong(2) })
			.single();
		return new Counts(scans.in(), scans.out(), scans.denied(), visits[0], scans.fever(), visits[1], scans.errors());
	}

	/**
	 * An alert raised at a gate, naming the person (surname, given name starred) and
	 * where they live, so the worker knows whom to call on.
	 */
	private record AlertRow(long id, long checkpointId, String checkpointName, long scanId, String kind,
			java.time.OffsetDateTime createdAt, Long residentId) {
	}

	@Override
	public List<GateAlert> openAlerts(CurrentUser user) {
		user.require(Permission.MANAGE_CHECKPOINTS);
		List<AlertRow> rows = this.jdbc
			.sql("""
					select a.id, a.checkpoint_id, c.name as checkpoint_name, a.scan_id, a.kind, a.created_at, g.resident_id
					from checkpoint_alert a join checkpoint c on c.id = a.checkpoint_id join gate_scan g on g.id = a.scan_id and g.scanned_at = a.scan_at
					where a.district_id = any(districts_under(:path)) and a.path like :scope and a.acknowledged_at is null
					order by a.created_at desc limit 200""")
			.param("path", user.scopePath())
			.param("scope", user.scopePattern())
			.query(AlertRow.class)
			.list();
		java.util.Map<Long, ResidentDirectory.Identity> people = new java.util.HashMap<>();
		this.directory
			.identities(rows.stream().map(AlertRow::residentId).filter(java.util.Objects::nonNull).distinct().toList())
			.forEach(identity -> people.put(identity.id(), identity));
		return rows.stream().map(row -> {
			ResidentDirectory.Identity who = row.residentId() == null ? null : people.get(row.residentId());
			return new GateAlert(row.id(), row.checkpointId(), row.checkpointName(), row.scanId(), row.kind(),
					row.createdAt(), who == null ? null : PersonNames.surname(who.name()),
					who == null ? null : who.address());
		}).toList();
	}

	public void acknowledge(CurrentUser user, long alertId) {
		user.require(Permission.MANAGE_CHECKPOINTS);
		// Permission, then lookup, then scope, as everywhere: an alert outside the
		// subtree is refused, not "missing".
		// by id alone: the alert's district is what this look-up finds out (one probe per
		// shard on Citus, for a click)
		String path = this.jdbc.sql("select path from checkpoint_alert where id = :id")
			.param("id", alertId)
			.query(String.class)
			.optional()
			.orElseThrow(() -> new org.fangxian.shared.NotFound("checkpoint.alert.notFound"));
		user.requireCovers(path);
		int updated = this.jdbc.sql("""
				update checkpoint_alert set acknowledged_at = now(), acknowledged_by = :account
				where district_id = any(districts_under(:path)) and id = :id and path like :scope
				  and acknowledged_at is null""")
			.param("path", user.scopePath())
			.param("account", user.accountId())
			.param("id", alertId)
			.param("scope", user.scopePattern())
			.update();
		if (updated == 0) {
			throw new org.fangxian.shared.NotFound("checkpoint.alert.notFound");
		}
	}

}
