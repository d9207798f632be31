package org.fangxian.quarantine;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.fangxian.registry.Node;
import org.fangxian.registry.ResidentDirectory;
import org.fangxian.seal.Seals;
import org.fangxian.security.CurrentUser;
import org.fangxian.shared.ChinaStandardTime;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Containment figures of a subtree for a day in China Standard Time: areas sealed or
 * controlled at some moment of the day and the people living in them, people in
 * quarantine at the end of the day (now, for today) and those among them missing a
 * check-in, by the same rule as the quarantine list.
 */
@Service
public class ContainmentFigures {

	private final JdbcClient jdbc;

	private final ResidentDirectory directory;

	private final Clock clock;

	private final LocalTime checkInDeadline;

	private final Seals seals;

	ContainmentFigures(JdbcClient jdbc, ResidentDirectory directory, Seals seals, Clock clock,
			@Value("${fangxian.quarantine.check-in-deadline:10:00}") LocalTime checkInDeadline) {
		this.jdbc = jdbc;
		this.directory = directory;
		this.seals = seals;
		this.clock = clock;
		this.checkInDeadline = checkInDeadline;
	}

	public record Counts(long sealedAreas, long peopleSealed, long quarantined, long overdueCheckIns) {

		public static final Counts NONE = new Counts(0, 0, 0, 0);

		Counts plus(Counts other) {
			return new Counts(this.sealedAreas + other.sealedAreas, this.peopleSealed + other.peopleSealed,
					this.quarantined + other.quarantined, this.overdueCheckIns + other.overdueCheckIns);
		}

	}

	/** The whole subtree, and per direct child (by node id). */
	public record Breakdown(Counts total, Map<Long, Counts> byChild) {

		public Counts child(long id) {
			return this.byChild.getOrDefault(id, Counts.NONE);
		}

	}

	private record SealInForce(String path, String child) {
	}

	/**
	 * The id (as text) of the direct child of {@code node} holding {@code path}, or null.
	 */
	private static String childOf(Node node, String path) {
		String rest = path.substring(node.path().length());
		return rest.isEmpty() ? null : rest.substring(0, rest.indexOf('/'));
	}

	public Breakdown day(CurrentUser user, Node node, LocalDate day) {
		user.requireCovers(node.path());
		Timestamp start = Timestamp.from(ChinaStandardTime.startOf(day));
		Timestamp end = Timestamp.from(ChinaStandardTime.startOf(day.plusDays(1)));
		Map<Long, Counts> byChild = new HashMap<>();
		Counts total = Counts.NONE;

		List<SealInForce> seals = this.seals.inForceBetween(user, node, start.toInstant(), end.toInstant())
			.stream()
			.map(seal -> new SealInForce(seal.path(), childOf(node, seal.path())))
			.toList();
		// A building sealed inside a controlled compound: its people are counted once,
		// with the outer area.
		List<SealInForce> outermost = new ArrayList<>();
		for (SealInForce seal : seals) {
			if (outermost.isEmpty() || !seal.path().startsWith(outermost.get(outermost.size() - 1).path())) {
				outermost.add(seal);
			}
		}
		Map<String, Long> living = this.directory.countLivingWithin(outermost.stream().map(SealInForce::path).toList());
		for (SealInForce seal : seals) {
			Counts counts = new Counts(1, outermost.contains(seal) ? living.getOrDefault(seal.path(), 0L) : 0, 0, 0);
			total = total.plus(counts);
			if (seal.child() != null) {
				byChild.merge(Long.valueOf(seal.child()), counts, Counts::plus);
			}
		}

		LocalDate today = ChinaStandardTime.today(this.clock);
		boolean dayDue = day.isBefore(today)
				|| (day.equals(today) && LocalDateTime.now(this.clock.withZone(ChinaStandardTime.ZONE))
					.toLocalTime()
					.isAfter(this.checkInDeadline));
		Counts[] quarantines = { Counts.NONE };
		// Every past day of the quarantine needs a check-in; the day itself once its
		// deadline has passed.
		this.jdbc
			.sql("""
					select nullif(split_part(substr(q.path, length(:path) + 1), '/', 1), '') as child, count(*) as quarantined,
					       count(*) filter (where
					           (select count(distinct c.day) from quarantine_check_in c where c.quarantine_id = q.id and c.day < :day)
					             < greatest(0, (case when q.ends_on > :day then cast(:day as date) - 1 else q.ends_on - 1 end) - q.starts_on + 1)
					           or (:dayDue and q.ends_on > :day
					               and not exists (select 1 from quarantine_check_in c where c.quarantine_id = q.id and c.day = :day))) as overdue
					from quarantine q
					where q.path ~>=~ :path and q.path ~<~ :end and q.starts_on <= :day
					  and (q.released_at is null or q.released_at >= :dayEnd)
					group by 1""")
			.param("path", node.path())
			.param("end", node.subtreeEnd())
			.param("day", Date.valueOf(day))
			.param("dayEnd", end)
			.param("dayDue", dayDue)
			.query((java.sql.ResultSet rs) -> {
				Counts counts = new Counts(0, 0, rs.getLong("quarantined"), rs.getLong("overdue"));
				quarantines[0] = quarantines[0].plus(counts);
				String child = rs.getString("child");
				if (child != null) {
					byChild.merge(Long.valueOf(child), counts, Counts::plus);
				}
			});
		return new Breakdown(total.plus(quarantines[0]), byChild);
	}

	/**
	 * Seals in force now within the subtree, outermost first, without anything about the
	 * people in them (for the public notices).
	 */
	public List<AreaInForce> inForce(CurrentUser user, Node node) {
		return this.seals.inForceNow(user, node)
			.stream()
			.map(seal -> new AreaInForce(seal.nodeId(), seal.level().name(), seal.startsAt(), seal.plannedEndAt()))
			.toList();
	}

	/**
	 * An area sealed or controlled now; its level is {@code SEALED} or
	 * {@code CONTROLLED}.
	 */
	public record AreaInForce(long nodeId, String level, java.time.Instant startsAt, java.time.Instant plannedEndAt) {
	}

	/**
	 * People in quarantine at the end of each day from {@code from} to {@code to} (now,
	 * for today).
	 */
	public Map<LocalDate, Long> quarantinedByDay(CurrentUser user, Node node, LocalDate from, LocalDate to) {
		user.requireCovers(node.path());
		Map<LocalDate, Long> days = new java.util.TreeMap<>();
		this.jdbc
			.sql("""
					select d.day, (select count(*) from quarantine q where q.path ~>=~ :path and q.path ~<~ :end
					                 and q.starts_on <= d.day and (q.released_at is null
					                   or q.released_at >= (d.day + 1)::timestamp at time zone :zone)) as quarantined
					from (select cast(g as date) as day from generate_series(cast(:from as date), cast(:to as date), interval '1 day') as g) d""")
			.param("path", node.path())
			.param("end", node.subtreeEnd())
			.param("from", Date.valueOf(from))
			.param("to", Date.valueOf(to))
			.param("zone", ChinaStandardTime.ZONE.getId())
			.query((java.sql.ResultSet rs) -> {
				days.put(rs.getDate("day").toLocalDate(), rs.getLong("quarantined"));
			});
		return days;
	}

	/**
	 * Quarantines in the subtree whose planned end has come by {@code day} and that were
	 * not released by its end (now, for today): releases to make.
	 */
	public long releasesDue(CurrentUser user, Node node, LocalDate day) {
		user.requireCovers(node.path());
		Timestamp end = Timestamp.from(ChinaStandardTime.startOf(day.plusDays(1)));
		return this.jdbc.sql("""
				select count(*) from quarantine
				where path ~>=~ :path and path ~<~ :end and ends_on <= :day
				  and (released_at is null or released_at >= :dayEnd)""")
			.param("path", node.path())
			.param("end", node.subtreeEnd())
			.param("day", Date.valueOf(day))
			.param("dayEnd", end)
			.query(Long.class)
			.single();
	}

}
