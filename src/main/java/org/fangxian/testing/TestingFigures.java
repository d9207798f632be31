package org.fangxian.testing;

import org.fangxian.testing.internal.Round;
import org.fangxian.testing.internal.Rounds;
import org.fangxian.testing.internal.Sites;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.fangxian.registry.Node;
import org.fangxian.security.CurrentUser;
import org.fangxian.shared.ChinaStandardTime;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Testing figures of a subtree for a day (China Standard Time): the rounds running that
 * day, their people expected, sampled and positive as they stand now, read from the
 * per-round, per-node counts ({@code round_node_count}) that the members' inserts and
 * state changes keep up to date.
 */
@Service
public class TestingFigures {

	private final JdbcClient jdbc;

	private final Sites sites;

	private final Rounds rounds;

	TestingFigures(JdbcClient jdbc, Sites sites, Rounds rounds) {
		this.jdbc = jdbc;
		this.sites = sites;
		this.rounds = rounds;
	}

	/**
	 * The open rounds the user may work on (their subtree's and those above it), newest
	 * first: where a sampler lands (platform.Landing).
	 */
	public List<OpenRound> openRounds(CurrentUser user) {
		return this.rounds.list(user, 50)
			.stream()
			.filter(Round::open)
			.map(r -> new OpenRound(r.id(), r.nodeId(), r.name()))
			.toList();
	}

	/** A testing site as the public queue board shows it (no personal data). */
	public record SiteQueue(String name, String address, String openingHours, Integer waiting, Integer waitMinutes) {
	}

	/**
	 * The public queue board's sites serving the place with this division code (the data
	 * of {@code /sites}).
	 */
	public List<SiteQueue> siteQueues(String divisionCode) {
		return this.sites.board(divisionCode)
			.stream()
			.map(s -> new SiteQueue(s.name(), s.address(), s.openingHours(), s.waiting(), s.waitMinutes()))
			.toList();
	}

	/** Expected as coverage counts it: not exempt, or sampled anyway. */
	public record Counts(long expected, long sampled, long positive) {

		public static final Counts NONE = new Counts(0, 0, 0);

		Counts plus(Counts other) {
			return new Counts(this.expected + other.expected, this.sampled + other.sampled,
					this.positive + other.positive);
		}

		public int percent() {
			return this.expected == 0 ? 0 : (int) (this.sampled * 100 / this.expected);
		}

	}

	/** The whole subtree, and per direct child (by node id). */
	public record Breakdown(Counts total, Map<Long, Counts> byChild, List<Long> roundIds) {

		public Counts child(long id) {
			return this.byChild.getOrDefault(id, Counts.NONE);
		}

	}

	public Breakdown day(CurrentUser user, Node node, LocalDate day) {
		user.requireCovers(node.path());
		// Rounds over the node, over a part of it, or over a wider area that includes it,
		// running that day.
		List<Long> rounds = this.jdbc.sql("""
				select id from testing_round
				where starts_at < :end and ends_at > :start
				  and ((path ~>=~ :path and path ~<~ :subtreeEnd) or :path like (path || '%'))""")
			.param("start", Timestamp.from(ChinaStandardTime.startOf(day)))
			.param("end", Timestamp.from(ChinaStandardTime.startOf(day.plusDays(1))))
			.param("path", node.path())
			.param("subtreeEnd", node.subtreeEnd())
			.query(Long.class)
			.list();
		Map<Long, Counts> byChild = new HashMap<>();
		Counts[] total = { Counts.NONE };
		if (!rounds.isEmpty()) {
			this.jdbc
				.sql("""
						select nullif(split_part(substr(path, length(:path) + 1), '/', 1), '') as child,
						       sum(expected) as expected, sum(sampled) as sampled, sum(positive) as positive
						from round_node_count where round_id in (:rounds) and path ~>=~ :path and path ~<~ :end group by 1""")
				.param("rounds", rounds)
				.param("path", node.path())
				.param("end", node.subtreeEnd())
				.query((java.sql.ResultSet rs) -> {
					Counts counts = new Counts(rs.getLong("expected"), rs.getLong("sampled"), rs.getLong("positive"));
					total[0] = total[0].plus(counts);
					String child = rs.getString("child");
					if (child != null) {
						byChild.merge(Long.valueOf(child), counts, Counts::plus);
					}
				});
		}
		return new Breakdown(total[0], byChild, rounds);
	}

	/**
	 * Follow-ups of lab results (re-test alone, sample again) in the subtree that were
	 * open at the end of {@code day} (China Standard Time; now, for today): created
	 * before and not yet acknowledged, as the follow-up list shows them.
	 */
	public long openFollowUps(CurrentUser user, Node node, LocalDate day) {
		user.requireCovers(node.path());
		Timestamp end = Timestamp.from(ChinaStandardTime.startOf(day.plusDays(1)));
		return this.jdbc.sql("""
				select count(*) from testing_followup
				where path ~>=~ :path and path ~<~ :end and created_at < :dayEnd
				  and (acknowledged_at is null or acknowledged_at >= :dayEnd)""")
			.param("path", node.path())
			.param("end", node.subtreeEnd())
			.param("dayEnd", end)
			.query(Long.class)
			.single();
	}

	/** A testing round open now, as others need it: where it is and what it is called. */
	public record OpenRound(long id, long nodeId, String name) {
	}

}
