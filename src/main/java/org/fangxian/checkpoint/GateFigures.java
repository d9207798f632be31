package org.fangxian.checkpoint;

import java.sql.Date;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.fangxian.registry.Node;
import org.fangxian.security.CurrentUser;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Gate figures of a subtree for days in China Standard Time, read from the per-checkpoint
 * day counters ({@code gate_day_count}) that the scan and visit inserts keep up to date:
 * a district's day is a sum over its checkpoints, not a count of its scans.
 */
@Service
public class GateFigures {

	private final JdbcClient jdbc;

	GateFigures(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * One day's figures. {@code in}/{@code out} are allowed passages, {@code denied}
	 * every denied scan (a fever is also a {@code feverAlerts}), {@code turnBacks} the
	 * turn-backs registered.
	 */
	public record Counts(long in, long out, long denied, long turnBacks, long feverAlerts, long visitors,
			long vehicles) {

		public static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0, 0);

		Counts plus(Counts other) {
			return new Counts(this.in + other.in, this.out + other.out, this.denied + other.denied,
					this.turnBacks + other.turnBacks, this.feverAlerts + other.feverAlerts,
					this.visitors + other.visitors, this.vehicles + other.vehicles);
		}

	}

	/**
	 * The whole subtree, and per direct child (by node id) for the part of it below that
	 * child.
	 */
	public record Breakdown(Counts total, Map<Long, Counts> byChild) {

		public Counts child(long id) {
			return this.byChild.getOrDefault(id, Counts.NONE);
		}

	}

	private static final String SUMS = """
			sum(allowed_in) as allowed_in, sum(allowed_out) as allowed_out, sum(denied) as denied,
			sum(turn_backs) as turn_backs, sum(fever) as fever, sum(visitors) as visitors, sum(vehicles) as vehicles""";

	private static Counts counts(java.sql.ResultSet rs) throws java.sql.SQLException {
		return new Counts(rs.getLong("allowed_in"), rs.getLong("allowed_out"), rs.getLong("denied"),
				rs.getLong("turn_backs"), rs.getLong("fever"), rs.getLong("visitors"), rs.getLong("vehicles"));
	}

	public Breakdown day(CurrentUser user, Node node, LocalDate day) {
		user.requireCovers(node.path());
		Map<Long, Counts> byChild = new HashMap<>();
		Counts[] total = { Counts.NONE };
		// Checkpoints attached to the node itself count in the total, in no child.
		this.jdbc
			.sql("select nullif(split_part(substr(path, length(:path) + 1), '/', 1), '') as child, " + SUMS + "\n" + """
					from gate_day_count where day = :day and path ~>=~ :path and path ~<~ :end group by 1""")
			.param("path", node.path())
			.param("end", node.subtreeEnd())
			.param("day", Date.valueOf(day))
			.query((java.sql.ResultSet rs) -> {
				Counts counts = counts(rs);
				total[0] = total[0].plus(counts);
				String child = rs.getString("child");
				if (child != null) {
					byChild.put(Long.valueOf(child), counts);
				}
			});
		return new Breakdown(total[0], byChild);
	}

	/**
	 * The subtree's figures for each day from {@code from} to {@code to} inclusive; days
	 * without any are zero.
	 */
	public Map<LocalDate, Counts> days(CurrentUser user, Node node, LocalDate from, LocalDate to) {
		user.requireCovers(node.path());
		Map<LocalDate, Counts> days = new TreeMap<>();
		for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
			days.put(d, Counts.NONE);
		}
		this.jdbc.sql("select day, " + SUMS + "\n"
				+ """
						from gate_day_count where day between :from and :to and path ~>=~ :path and path ~<~ :end group by day""")
			.param("path", node.path())
			.param("end", node.subtreeEnd())
			.param("from", Date.valueOf(from))
			.param("to", Date.valueOf(to))
			.query((java.sql.ResultSet rs) -> {
				days.put(rs.getDate("day").toLocalDate(), counts(rs));
			});
		return days;
	}

	/**
	 * Vehicles checked at the road checkpoints of the subtree on {@code day} (China
	 * Standard Time), by decision: {@code PASS}, {@code RETEST}, {@code DIVERT},
	 * {@code DENY}, each present (zero when none). Summed from the day counters the
	 * check's insert keeps ({@code gate_day_count}), not counted from the checks: a post
	 * may check 20,000 vehicles a day, and the dashboard asks for every child it shows.
	 */
	public Map<String, Long> roadChecks(CurrentUser user, Node node, LocalDate day) {
		user.requireCovers(node.path());
		Map<String, Long> byDecision = new java.util.LinkedHashMap<>();
		this.jdbc.sql("""
				select coalesce(sum(road_pass), 0) as pass, coalesce(sum(road_retest), 0) as retest,
				       coalesce(sum(road_divert), 0) as divert, coalesce(sum(road_deny), 0) as deny
				from gate_day_count where day = :day and path ~>=~ :path and path ~<~ :end""")
			.param("path", node.path())
			.param("end", node.subtreeEnd())
			.param("day", Date.valueOf(day))
			.query((java.sql.ResultSet rs) -> {
				for (String decision : List.of("PASS", "RETEST", "DIVERT", "DENY")) {
					byDecision.put(decision, rs.getLong(decision.toLowerCase(java.util.Locale.ROOT)));
				}
			});
		return byDecision;
	}

}
