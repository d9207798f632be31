package org.fangxian.seal.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

import org.fangxian.registry.DivisionTree;
import org.fangxian.registry.Node;
import org.fangxian.registry.NodeKind;
import org.fangxian.registry.ResidentDirectory;
import org.fangxian.seal.Seals.AreaInForce;
import org.fangxian.seal.Seals.Event;
import org.fangxian.seal.Seals.EventKind;
import org.fangxian.seal.Seals.Level;
import org.fangxian.seal.Seals.Seal;
import org.fangxian.security.AccountService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.NotFound;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The seal module's SQL: {@code sealed_area} and its timeline {@code sealed_area_event},
 * read into the API's records (a seal with its area's name and the people living in it)
 * and written for {@link SealLifecycle}.
 */
@Repository
public class SealRecords {

	private final JdbcClient jdbc;

	private final DivisionTree tree;

	private final ResidentDirectory directory;

	private final AccountService accounts;

	private final Clock clock;

	SealRecords(JdbcClient jdbc, DivisionTree tree, ResidentDirectory directory, AccountService accounts, Clock clock) {
		this.jdbc = jdbc;
		this.tree = tree;
		this.directory = directory;
		this.accounts = accounts;
		this.clock = clock;
	}

	private static final String SELECT = """
			select s.id, s.node_id, s.path, s.level, s.reason, s.order_ref, s.starts_at, s.planned_end_at, s.ended_at
			from sealed_area s""";

	/** The strongest seal in force at :at over any of the paths %s names. */
	private static final String LEVEL_AT = """
			select level from sealed_area
			where path = any(%s) and starts_at <= :at and (ended_at is null or ended_at > :at)
			order by case level when 'SEALED' then 0 else 1 end limit 1""";

	private static final String AREAS = "select node_id, path, level, starts_at, planned_end_at from sealed_area";

	/**
	 * Seals in force now or starting later, within the user's jurisdiction, oldest first.
	 */
	public List<Seal> open(CurrentUser user) {
		user.require(Permission.VIEW_REGISTRY);
		return this.jdbc.sql(SELECT + " where s.ended_at is null and s.path like :scope order by s.starts_at, s.id")
			.param("scope", user.scopePattern())
			.query((rs, n) -> map(user, rs))
			.list();
	}

	/** Seals ended within the last {@code days} days, newest first. */
	public List<Seal> recentlyEnded(CurrentUser user, int days) {
		user.require(Permission.VIEW_REGISTRY);
		return this.jdbc.sql(SELECT + """
				 where s.ended_at is not null and s.ended_at > :since and s.path like :scope
				order by s.ended_at desc limit 50""")
			.param("since", Timestamp.from(this.clock.instant().minus(Duration.ofDays(days))))
			.param("scope", user.scopePattern())
			.query((rs, n) -> map(user, rs))
			.list();
	}

	/** Seals in force now on the place at {@code path} or above it, innermost first. */
	public List<Seal> over(CurrentUser user, String path) {
		user.require(Permission.VIEW_REGISTRY);
		return this.jdbc.sql(SELECT + """
				 where s.path = any(:ancestors) and s.starts_at <= :now and s.ended_at is null
				order by length(s.path) desc, s.id""")
			.param("ancestors", ancestors(path))
			.param("now", Timestamp.from(this.clock.instant()))
			.query((rs, n) -> map(user, rs))
			.list();
	}

	public Seal get(CurrentUser user, long id) {
		user.require(Permission.VIEW_REGISTRY);
		Seal seal = this.jdbc.sql(SELECT + " where s.id = :id")
			.param("id", id)
			.query((rs, n) -> map(user, rs))
			.optional()
			.orElseThrow(() -> new NotFound("seal.notFound"));
		user.requireCovers(seal.path());
		return seal;
	}

	public List<Event> timeline(CurrentUser user, long id) {
		get(user, id);
		record Row(Instant at, EventKind kind, Instant plannedEndAt, String note, int notified, Long accountId) {
		}
		List<Row> rows = this.jdbc.sql("""
				select at, kind, planned_end_at, note, notified, account_id
				from sealed_area_event where sealed_area_id = :id order by id""")
			.param("id", id)
			.query((rs, n) -> new Row(rs.getTimestamp("at").toInstant(), EventKind.valueOf(rs.getString("kind")),
					instant(rs, "planned_end_at"), rs.getString("note"), rs.getInt("notified"),
					rs.getObject("account_id", Long.class)))
			.list();
		// Who did it: security's names, not its table.
		Map<Long, String> names = this.accounts
			.displayNames(rows.stream().map(Row::accountId).filter(Objects::nonNull).collect(Collectors.toSet()));
		return rows.stream()
			.map(r -> new Event(r.at(), r.kind(), r.plannedEndAt(), r.note(), r.notified(),
					r.accountId() == null ? "?" : names.getOrDefault(r.accountId(), "?")))
			.toList();
	}

	public Optional<Level> levelAt(String path, Instant at) {
		return this.jdbc.sql(LEVEL_AT.formatted(":ancestors"))
			.param("ancestors", ancestors(path))
			.param("at", Timestamp.from(at))
			.query((rs, n) -> Level.valueOf(rs.getString("level")))
			.optional();
	}

	/**
	 * {@link #levelAt} as a scalar subquery: SEALED, CONTROLLED or null; {@code :at} is
	 * bound by the caller.
	 * @param path SQL expression for the path whose ancestors (itself included) count
	 */
	public static String levelAtSql(String path) {
		// "/1/2/3/" → {"/1/", "/1/2/", "/1/2/3/"}, as ancestors() below
		String ancestors = "array(select left(%1$s, i) from generate_series(2, length(%1$s)) i where substr(%1$s, i, 1) = '/')"
			.formatted(path);
		return "(" + LEVEL_AT.formatted(ancestors) + ")";
	}

	public List<String> pathsWithin(String path, Instant at) {
		return this.jdbc.sql("""
				select path from sealed_area
				where path like :prefix and starts_at <= :at and (ended_at is null or ended_at > :at)
				order by path""")
			.param("prefix", path + "%")
			.param("at", Timestamp.from(at))
			.query(String.class)
			.list();
	}

	public List<AreaInForce> inForceBetween(Node node, Instant from, Instant to) {
		return this.jdbc.sql(AREAS + """
				 where path ~>=~ :path and path ~<~ :end and starts_at < :to and coalesce(ended_at, 'infinity') > :from
				order by path""")
			.param("path", node.path())
			.param("end", node.subtreeEnd())
			.param("from", Timestamp.from(from))
			.param("to", Timestamp.from(to))
			.query((rs, i) -> area(rs))
			.list();
	}

	public List<AreaInForce> inForceNow(Node node) {
		return this.jdbc.sql(AREAS + """
				 where path ~>=~ :path and path ~<~ :end and starts_at <= :now and ended_at is null
				order by path limit 500""")
			.param("path", node.path())
			.param("end", node.subtreeEnd())
			.param("now", Timestamp.from(this.clock.instant()))
			.query((rs, i) -> area(rs))
			.list();
	}

	/**
	 * A new seal's row, its id; a {@code DataIntegrityViolationException} when the node
	 * already has a seal over that time (the exclusion constraint).
	 */
	long insert(CurrentUser user, Node node, Level level, String reason, String order, Instant startsAt,
			Instant plannedEnd) {
		return this.jdbc.sql("""
				insert into sealed_area (node_id, path, level, reason, order_ref, starts_at, planned_end_at, created_by)
				values (:node, '', :level, :reason, :order, :starts, :end, :account)
				returning id""")
			.param("node", node.id())
			.param("level", level.name())
			.param("reason", reason)
			.param("order", order)
			.param("starts", Timestamp.from(startsAt))
			.param("end", Timestamp.from(plannedEnd))
			.param("account", user.accountId())
			.query(Long.class)
			.single();
	}

	void plannedEnd(long id, Instant end) {
		this.jdbc.sql("update sealed_area set planned_end_at = :end where id = :id")
			.param("end", Timestamp.from(end))
			.param("id", id)
			.update();
	}

	void ended(long id, Instant at) {
		this.jdbc.sql("update sealed_area set ended_at = :at where id = :id")
			.param("at", Timestamp.from(at))
			.param("id", id)
			.update();
	}

	int eventCount(long sealId) {
		return this.jdbc.sql("select count(*) from sealed_area_event where sealed_area_id = :id")
			.param("id", sealId)
			.query(Integer.class)
			.single();
	}

	void event(CurrentUser user, long id, EventKind kind, Instant plannedEnd, String note, int notified) {
		this.jdbc.sql("""
				insert into sealed_area_event (sealed_area_id, kind, planned_end_at, note, notified, account_id)
				values (:id, :kind, :end, :note, :notified, :account)""")
			.param("id", id)
			.param("kind", kind.name())
			.param("end", plannedEnd == null ? null : Timestamp.from(plannedEnd))
			.param("note", note)
			.param("notified", notified)
			.param("account", user.accountId())
			.update();
	}

	/** "福乐湾小区 3号楼 2单元": the trail below the community. */
	String area(CurrentUser user, Node node) {
		List<Node> trail = this.tree.trail(user, node);
		StringBuilder text = new StringBuilder();
		for (Node n : trail) {
			if (n.kind().ordinal() >= NodeKind.COMMUNITY.ordinal()) {
				text.append(text.isEmpty() ? "" : " ").append(n.name());
			}
		}
		return text.isEmpty() ? node.name() : text.toString();
	}

	private Seal map(CurrentUser user, ResultSet rs) throws SQLException {
		String path = rs.getString("path");
		long nodeId = rs.getLong("node_id");
		String area = user.covers(path) ? area(user, this.tree.node(user, nodeId)) : "";
		return new Seal(rs.getLong("id"), nodeId, path, area, Level.valueOf(rs.getString("level")),
				rs.getString("reason"), rs.getString("order_ref"), rs.getTimestamp("starts_at").toInstant(),
				rs.getTimestamp("planned_end_at").toInstant(), instant(rs, "ended_at"),
				this.directory.countLivingWithin(path));
	}

	private static AreaInForce area(ResultSet rs) throws SQLException {
		return new AreaInForce(rs.getLong("node_id"), rs.getString("path"), Level.valueOf(rs.getString("level")),
				rs.getTimestamp("starts_at").toInstant(), rs.getTimestamp("planned_end_at").toInstant());
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp at = rs.getTimestamp(column);
		return at == null ? null : at.toInstant();
	}

	/** "/1/2/3/" → {"/1/", "/1/2/", "/1/2/3/"} */
	private static String[] ancestors(String path) {
		List<String> result = new ArrayList<>();
		int from = 1;
		int slash;
		while ((slash = path.indexOf('/', from)) > 0) {
			result.add(path.substring(0, slash + 1));
			from = slash + 1;
		}
		return result.toArray(String[]::new);
	}

}
