package org.fangxian.containment;

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

	ContainmentFigures(JdbcClient jdbc, ResidentDirectory directory, Clock clock,
			@Value("${fangxian.quarantine.check-in-deadline:10:00}") LocalTime checkInDeadline) {
		this.jdbc = jdbc;
		this.directory = directory;
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

	public Breakdown day(CurrentUser user, Node node, LocalDate day) {
		user.requireCovers(node.path());
		Timestamp start = Timestamp.from(ChinaStandardTime.startOf(day));
		Timestamp end = Timestamp.from(ChinaStandardTime.startOf(day.plusDays(1)));
		Map<Long, Counts> byChild = new HashMap<>();
		Counts total = Counts.NONE;

		List<SealInForce> seals = this.jdbc
			.sql("""
					select path, nullif(split_part(substr(path, length(:path) + 1), '/', 1), '') as child from sealed_area
					where path ~>=~ :path and path ~<~ :end and starts_at < :dayEnd and coalesce(ended_at, 'infinity') > :dayStart
					order by path""")
			.param("path", node.path())
			.param("end", node.subtreeEnd())
			.param("dayStart", start)
			.param("dayEnd", end)
			.query(SealInForce.class)
			.list();
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
	 * An area sealed or controlled now, without anything about the people in it (for the
	 * public notices).
	 */
	public record AreaInForce(long nodeId, String level, java.time.Instant startsAt, java.time.Instant plannedEndAt) {
	}

	/** Seals in force now within the subtree, outermost first. */
	public List<AreaInForce> inForce(CurrentUser user, Node node) {
		user.requireCovers(node.path());
		Timestamp now = Timestamp.from(this.clock.instant());
		return this.jdbc.sql("""
				select node_id, level, starts_at, planned_end_at from sealed_area
				where path ~>=~ :path and path ~<~ :end and starts_at <= :now and ended_at is null
				order by path limit 500""")
			.param("path", node.path())
			.param("end", node.subtreeEnd())
			.param("now", now)
			.query((rs, i) -> new AreaInForce(rs.getLong("node_id"), rs.getString("level"),
					rs.getTimestamp("starts_at").toInstant(), rs.getTimestamp("planned_end_at").toInstant()))
			.list();
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
					                   or q.released_at >= (d.day + 1)::timestamp at time zone 'Asia/Shanghai')) as quarantined
					from (select cast(g as date) as day from generate_series(cast(:from as date), cast(:to as date), interval '1 day') as g) d""")
			.param("path", node.path())
			.param("end", node.subtreeEnd())
			.param("from", Date.valueOf(from))
			.param("to", Date.valueOf(to))
			.query((java.sql.ResultSet rs) -> {
				days.put(rs.getDate("day").toLocalDate(), rs.getLong("quarantined"));
			});
		return days;
	}

	/**
	 * Returnees' self-reports in the subtree awaiting a decision at the end of
	 * {@code day} (China Standard Time; now, for today): reported before, not decided
	 * before.
	 */
	public long returneesPending(CurrentUser user, Node node, LocalDate day) {
		user.requireCovers(node.path());
		return this.jdbc.sql("""
				select count(*) from returnee_report
				where path ~>=~ :path and path ~<~ :end and reported_at < :dayEnd
				  and (decided_at is null or decided_at >= :dayEnd)""")
			.param("path", node.path())
			.param("end", node.subtreeEnd())
			.param("dayEnd", Timestamp.from(ChinaStandardTime.startOf(day.plusDays(1))))
			.query(Long.class)
			.single();
	}

	/**
	 * Door-to-door progress in the subtree on {@code day}: the doors of the campaigns
	 * running that day and those visited (someone at home or refusing, the screening
	 * board's "visited") by the end of the day, from the knocks' own times.
	 */
	public record DoorToDoor(long doors, long visited) {
	}

	public DoorToDoor doorToDoor(CurrentUser user, Node node, LocalDate day) {
		user.requireCovers(node.path());
		return this.jdbc.sql("""
				select count(*) as doors,
				       count(*) filter (where exists (select 1 from screening_attempt a where a.visit_id = v.id
				           and a.outcome in ('AT_HOME', 'REFUSED') and a.visited_at < :dayEnd)) as visited
				from screening_visit v join screening_campaign c on c.id = v.campaign_id
				where v.path ~>=~ :path and v.path ~<~ :end and c.starts_on <= :day and c.ends_on >= :day""")
			.param("path", node.path())
			.param("end", node.subtreeEnd())
			.param("day", Date.valueOf(day))
			.param("dayEnd", Timestamp.from(ChinaStandardTime.startOf(day.plusDays(1))))
			.query((rs, i) -> new DoorToDoor(rs.getLong("doors"), rs.getLong("visited")))
			.single();
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
