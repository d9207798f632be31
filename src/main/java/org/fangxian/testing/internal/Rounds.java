package org.fangxian.testing.internal;

import org.fangxian.testing.SealedAreas;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.fangxian.audit.AuditEvent;
import org.fangxian.registry.DivisionTree;
import org.fangxian.registry.Node;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.DateBounds;
import org.fangxian.shared.FullWidth;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.NotFound;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Opening, listing and closing testing rounds. A round is visible to everyone whose
 * jurisdiction overlaps it: the street that planned it and the communities inside it.
 */
@Service
public class Rounds {

	public static final List<Integer> POOL_SIZES = List.of(1, 5, 10, 20);

	static final String SELECT = """
			select r.id, r.node_id, n.name as node_name, r.path, r.name, r.pool_size, r.starts_at, r.ends_at,
			       r.include_away, r.sealed_only, r.status, r.member_count
			from testing_round r join registry_division n on n.id = r.node_id
			""";

	private final JdbcClient jdbc;

	private final DivisionTree tree;

	private final ObjectProvider<SealedAreas> sealedAreas;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	Rounds(JdbcClient jdbc, DivisionTree tree, ObjectProvider<SealedAreas> sealedAreas,
			ApplicationEventPublisher events, Clock clock) {
		this.jdbc = jdbc;
		this.tree = tree;
		this.sealedAreas = sealedAreas;
		this.events = events;
		this.clock = clock;
	}

	/**
	 * What a planner sends to open a round.
	 *
	 * @param nodeId the subtree (or {@code code}, its 12-digit division code)
	 * @param includeAway whether residents registered as away (外出) are expected too; by
	 * default they are exempt
	 * @param sealedOnly only residents of areas sealed now (needs containment)
	 */
	public record NewRound(Long nodeId, String code, String name, Integer poolSize, Instant startsAt, Instant endsAt,
			Boolean includeAway, Boolean sealedOnly) {
	}

	static Round map(ResultSet rs, int row) throws SQLException {
		return new Round(rs.getLong("id"), rs.getLong("node_id"), rs.getString("node_name"), rs.getString("path"),
				rs.getString("name"), rs.getInt("pool_size"), rs.getTimestamp("starts_at").toInstant(),
				rs.getTimestamp("ends_at").toInstant(), rs.getBoolean("include_away"), rs.getBoolean("sealed_only"),
				rs.getString("status"), rs.getInt("member_count"));
	}

	@Transactional
	public Round open(CurrentUser user, NewRound form) {
		user.require(Permission.MANAGE_TESTING);
		Node node = place(user, form.nodeId(), form.code());
		String name = FullWidth.clean(form.name());
		if (name.isEmpty() || name.length() > 100) {
			throw new InvalidInput("name", name.isEmpty() ? "testing.round.name.blank" : "node.name.tooLong");
		}
		int poolSize = form.poolSize() == null ? 10 : form.poolSize();
		if (!POOL_SIZES.contains(poolSize)) {
			throw new InvalidInput("poolSize", "testing.round.poolSize");
		}
		if (form.startsAt() == null) {
			throw new InvalidInput("startsAt", "testing.round.window.required");
		}
		if (form.endsAt() == null) {
			throw new InvalidInput("endsAt", "testing.round.window.required");
		}
		DateBounds.require("startsAt", form.startsAt());
		DateBounds.require("endsAt", form.endsAt());
		if (!form.endsAt().isAfter(form.startsAt())) {
			throw new InvalidInput("endsAt", "testing.round.window.order");
		}
		boolean includeAway = Boolean.TRUE.equals(form.includeAway());
		boolean sealedOnly = Boolean.TRUE.equals(form.sealedOnly());
		String sealedPatterns = "";
		if (sealedOnly) {
			SealedAreas sealed = this.sealedAreas.getIfAvailable();
			if (sealed == null) {
				throw new InvalidInput("sealedOnly", "testing.round.sealedUnavailable");
			}
			List<String> paths = sealed.sealedPathsWithin(node.path(), this.clock.instant())
				.stream()
				.filter(p -> p.startsWith(node.path()) && p.matches("[/0-9]+"))
				.toList();
			if (paths.isEmpty()) {
				throw new InvalidInput("sealedOnly", "testing.round.noSealedAreas");
			}
			sealedPatterns = String.join(",", paths.stream().map(p -> p + "%").toList());
		}
		long id = this.jdbc
			.sql("""
					insert into testing_round (node_id, path, name, pool_size, starts_at, ends_at, include_away, sealed_only, created_by)
					values (:node, :path, :name, :pool, :starts, :ends, :away, :sealed, :by) returning id""")
			.param("node", node.id())
			.param("path", node.path())
			.param("name", name)
			.param("pool", poolSize)
			.param("starts", Timestamp.from(form.startsAt()))
			.param("ends", Timestamp.from(form.endsAt()))
			.param("away", includeAway)
			.param("sealed", sealedOnly)
			.param("by", user.accountId())
			.query(Long.class)
			.single();
		// The population, in one statement: a district of a million residents is a few
		// seconds' work.
		LocalDate firstDay = LocalDate.ofInstant(form.startsAt(), this.clock.getZone());
		int members = this.jdbc.sql("""
				insert into round_member (round_id, resident_id, node_id, household_id, path, exempt, home_sampling)
				select :round, r.id, r.node_id, r.household_id, r.path,
				       case when r.status = 'AWAY' and not :away then 'AWAY'
				            when r.birth_date > :infantCutoff then 'INFANT' end,
				       'BEDRIDDEN' = any (r.tags)
				from registry_resident r
				where r.district_id = any(districts_under(:scope)) and r.path like :pattern
				  and resident_is_present(r.status)
				  and (:sealedPatterns = '' or r.path like any (string_to_array(:sealedPatterns, ',')))""")
			.param("round", id)
			.param("away", includeAway)
			.param("infantCutoff", java.sql.Date.valueOf(firstDay.minusYears(3)))
			.param("scope", node.path())
			.param("pattern", node.path() + "%")
			.param("sealedPatterns", sealedPatterns)
			.update();
		if (members == 0) {
			throw new InvalidInput("nodeId", "testing.round.noPopulation");
		}
		this.jdbc.sql("update testing_round set member_count = :n where id = :id")
			.param("n", members)
			.param("id", id)
			.update();
		this.events.publishEvent(AuditEvent.of(user, "TESTING_ROUND_OPENED", "testing_round", id,
				name + ", " + members + " people, pool " + poolSize));
		return find(id).orElseThrow();
	}

	/** Rounds overlapping the user's jurisdiction, newest first. */
	@Transactional(readOnly = true)
	public List<Round> list(CurrentUser user, int limit) {
		return this.jdbc.sql(SELECT + """
				where r.path like :scope or :scopePath like r.path || '%'
				order by r.starts_at desc, r.id desc limit :limit""")
			.param("scope", user.scopePattern())
			.param("scopePath", user.scopePath())
			.param("limit", Math.max(1, Math.min(limit, 500)))
			.query(Rounds::map)
			.list();
	}

	/**
	 * A round the user may work on: refused (not "missing") when it lies outside their
	 * jurisdiction.
	 */
	@Transactional(readOnly = true)
	public Round get(CurrentUser user, long id) {
		Round round = find(id).orElseThrow(() -> new NotFound("testing.round.notFound"));
		if (!overlaps(user, round.path())) {
			throw new CurrentUser.OutsideJurisdictionException();
		}
		return round;
	}

	@Transactional
	public Round close(CurrentUser user, long id) {
		user.require(Permission.MANAGE_TESTING);
		Round round = get(user, id);
		// Only who planned it (or above) ends it: a community cannot end its street's
		// round.
		user.requireCovers(round.path());
		this.jdbc
			.sql("update testing_round set status = 'CLOSED', closed_at = now() where id = :id and status = 'OPEN'")
			.param("id", id)
			.update();
		this.events.publishEvent(AuditEvent.of(user, "TESTING_ROUND_CLOSED", "testing_round", id, round.name()));
		return find(id).orElseThrow();
	}

	static boolean overlaps(CurrentUser user, String path) {
		return user.covers(path) || user.scopePath().startsWith(path);
	}

	java.util.Optional<Round> find(long id) {
		return this.jdbc.sql(SELECT + "where r.id = :id").param("id", id).query(Rounds::map).optional();
	}

	/**
	 * The node a request names by id or by division code, inside the user's jurisdiction.
	 */
	Node place(CurrentUser user, Long nodeId, String code) {
		if (nodeId != null) {
			return this.tree.node(user, nodeId);
		}
		if (code != null && !code.isBlank()) {
			return this.tree.nodeByCode(user, code);
		}
		throw new InvalidInput("nodeId", "testing.round.node.required");
	}

}
