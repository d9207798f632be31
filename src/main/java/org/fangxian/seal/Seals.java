package org.fangxian.seal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.fangxian.audit.AuditEvent;
import org.fangxian.notification.Outbox;
import org.fangxian.registry.DivisionTree;
import org.fangxian.registry.Node;
import org.fangxian.registry.NodeKind;
import org.fangxian.registry.ResidentDirectory;
import org.fangxian.security.AccountService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.FreeText;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.NotFound;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Sealing (封控) and closed-loop control (管控) of a unit, building, compound or community:
 * start, extend, lift early or unseal (解封), each a timeline event, each announced to the
 * people inside by SMS. A seal stays in force until it is ended by a person: the planned
 * end is a promise, not a timer.
 */
@Service
public class Seals {

	/**
	 * 封控: nobody leaves. 管控: leave only for testing or essentials, with the community's
	 * say-so.
	 */
	public enum Level {

		SEALED, CONTROLLED

	}

	/** What is done to a seal, in the order of its timeline. */
	public enum EventKind {

		SEALED, EXTENDED, LIFTED, UNSEALED

	}

	public record NewSeal(Long nodeId, String level, String reason, String order, Instant startsAt,
			Instant plannedEndAt, Integer hours) {
	}

	public record Seal(long id, long nodeId, String path, String area, Level level, String reason, String order,
			Instant startsAt, Instant plannedEndAt, Instant endedAt, long people) {

		public boolean inForce(Instant at) {
			return !this.startsAt.isAfter(at) && (this.endedAt == null || this.endedAt.isAfter(at));
		}

		public boolean overdue(Instant at) {
			return this.endedAt == null && this.plannedEndAt.isBefore(at);
		}

	}

	public record Event(Instant at, EventKind kind, Instant plannedEndAt, String note, int notified, String by) {
	}

	/**
	 * Texts give times in the configured zone (the Clock's: fangxian.time-zone, China
	 * Standard Time).
	 */
	private final DateTimeFormatter when;

	private final JdbcClient jdbc;

	private final DivisionTree tree;

	private final ResidentDirectory directory;

	private final Outbox outbox;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final AccountService accounts;

	Seals(JdbcClient jdbc, DivisionTree tree, ResidentDirectory directory, Outbox outbox,
			ApplicationEventPublisher events, Clock clock, AccountService accounts) {
		this.jdbc = jdbc;
		this.accounts = accounts;
		this.tree = tree;
		this.directory = directory;
		this.outbox = outbox;
		this.events = events;
		this.clock = clock;
		this.when = DateTimeFormatter.ofPattern("M月d日H:mm").withZone(clock.getZone());
	}

	@Transactional
	public Seal seal(CurrentUser user, NewSeal form) {
		user.require(Permission.MANAGE_CONTAINMENT);
		if (form.nodeId() == null) {
			throw new InvalidInput("nodeId", "seal.node.required");
		}
		Node node = this.tree.node(user, form.nodeId());
		if (node.kind().ordinal() < NodeKind.COMMUNITY.ordinal()) {
			throw new InvalidInput("nodeId", "seal.node.tooLarge");
		}
		Level level = parseLevel(form.level());
		String reason = FreeText.required("reason", form.reason(), 300);
		String order = FreeText.required("order", form.order(), 100);
		Instant now = this.clock.instant();
		Instant startsAt = form.startsAt() == null ? now : form.startsAt();
		if (startsAt.isBefore(now.minus(Duration.ofDays(2))) || startsAt.isAfter(now.plus(Duration.ofDays(7)))) {
			throw new InvalidInput("startsAt", "seal.start.outOfRange");
		}
		Instant plannedEnd = plannedEnd(form.plannedEndAt(), form.hours(), startsAt);
		Long id;
		try {
			id = this.jdbc
				.sql("""
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
		catch (DataIntegrityViolationException ex) {
			// the exclusion constraint: this node already has a seal over that time
			throw new InvalidInput("nodeId", "seal.overlap", node.name());
		}
		Seal seal = get(user, id);
		String text = area(user, node);
		int notified = notify(seal, EventKind.SEALED, "sms.containment.sealed", List.of(signature(user, node), text,
				this.when.format(startsAt), levelText(level), this.when.format(plannedEnd)));
		event(user, id, EventKind.SEALED, plannedEnd, reason, notified);
		return seal;
	}

	@Transactional
	public Seal extend(CurrentUser user, long id, Instant plannedEndAt, Integer hours, String note) {
		Seal seal = open(user, id);
		Instant end = plannedEnd(plannedEndAt, hours, seal.startsAt());
		if (!end.isAfter(seal.plannedEndAt())) {
			throw new InvalidInput("plannedEndAt", "seal.extend.notLater");
		}
		this.jdbc.sql("update sealed_area set planned_end_at = :end where id = :id")
			.param("end", Timestamp.from(end))
			.param("id", id)
			.update();
		Node node = this.tree.node(user, seal.nodeId());
		int notified = notify(seal, EventKind.EXTENDED, "sms.containment.extended",
				List.of(signature(user, node), area(user, node), this.when.format(end)));
		event(user, id, EventKind.EXTENDED, end, FreeText.optional("note", note, 300), notified);
		return get(user, id);
	}

	/**
	 * Ends the seal now: "lifted" before its planned end, "unsealed" (解封) at or after it.
	 */
	@Transactional
	public Seal end(CurrentUser user, long id, String note) {
		Seal seal = open(user, id);
		Instant now = this.clock.instant();
		Instant endedAt = now.isBefore(seal.startsAt()) ? seal.startsAt() : now;
		this.jdbc.sql("update sealed_area set ended_at = :at where id = :id")
			.param("at", Timestamp.from(endedAt))
			.param("id", id)
			.update();
		EventKind kind = endedAt.isBefore(seal.plannedEndAt()) ? EventKind.LIFTED : EventKind.UNSEALED;
		Node node = this.tree.node(user, seal.nodeId());
		int notified = notify(seal, kind, "sms.containment.unsealed",
				List.of(signature(user, node), area(user, node), this.when.format(endedAt)));
		event(user, id, kind, null, FreeText.optional("note", note, 300), notified);
		return get(user, id);
	}

	/**
	 * Seals in force now or starting later, within the user's jurisdiction, oldest first.
	 */
	@Transactional(readOnly = true)
	public List<Seal> open(CurrentUser user) {
		user.require(Permission.VIEW_REGISTRY);
		return this.jdbc.sql(SELECT + " where s.ended_at is null and s.path like :scope order by s.starts_at, s.id")
			.param("scope", user.scopePattern())
			.query((rs, n) -> map(user, rs))
			.list();
	}

	/** Seals ended within the last {@code days} days, newest first. */
	@Transactional(readOnly = true)
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

	/**
	 * Seals in force now over the place at {@code path}: on it or on a node above it, the
	 * innermost first (for the place's page).
	 */
	@Transactional(readOnly = true)
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

	@Transactional(readOnly = true)
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

	@Transactional(readOnly = true)
	public List<Event> timeline(CurrentUser user, long id) {
		get(user, id);
		record Row(Instant at, EventKind kind, Instant plannedEndAt, String note, int notified, Long accountId) {
		}
		List<Row> rows = this.jdbc.sql("""
				select at, kind, planned_end_at, note, notified, account_id
				from sealed_area_event where sealed_area_id = :id order by id""")
			.param("id", id)
			.query((rs, n) -> new Row(rs.getTimestamp(1).toInstant(), EventKind.valueOf(rs.getString(2)),
					rs.getTimestamp(3) == null ? null : rs.getTimestamp(3).toInstant(), rs.getString(4), rs.getInt(5),
					rs.getObject(6, Long.class)))
			.list();
		// Who did it: security's names, not its table.
		java.util.Map<Long, String> names = this.accounts.displayNames(rows.stream()
			.map(Row::accountId)
			.filter(java.util.Objects::nonNull)
			.collect(java.util.stream.Collectors.toSet()));
		return rows.stream()
			.map(r -> new Event(r.at(), r.kind(), r.plannedEndAt(), r.note(), r.notified(),
					r.accountId() == null ? "?" : names.getOrDefault(r.accountId(), "?")))
			.toList();
	}

	/**
	 * The strictest seal in force at {@code at} over the place at {@code path} (a
	 * resident's or a household's), for gate decisions; one indexed look-up of the path's
	 * ancestors.
	 */
	public Optional<Level> levelAt(String path, Instant at) {
		return this.jdbc.sql(LEVEL_AT.formatted(":ancestors"))
			.param("ancestors", ancestors(path))
			.param("at", Timestamp.from(at))
			.query((rs, n) -> Level.valueOf(rs.getString(1)))
			.optional();
	}

	/** The strongest seal in force at :at over any of the paths %s names. */
	private static final String LEVEL_AT = """
			select level from sealed_area
			where path = any(%s) and starts_at <= :at and (ended_at is null or ended_at > :at)
			order by case level when 'SEALED' then 0 else 1 end limit 1""";

	/**
	 * {@link #levelAt} as a scalar subquery for a one-statement read (the gate, issue
	 * 17): SEALED, CONTROLLED or null; {@code :at} is bound by the caller.
	 * @param path SQL expression for the path whose ancestors (itself included) count
	 */
	public static String levelAtSql(String path) {
		// "/1/2/3/" → {"/1/", "/1/2/", "/1/2/3/"}, as ancestors() below
		String ancestors = "array(select left(%1$s, i) from generate_series(2, length(%1$s)) i where substr(%1$s, i, 1) = '/')"
			.formatted(path);
		return "(" + LEVEL_AT.formatted(ancestors) + ")";
	}

	/**
	 * Paths of the areas sealed (either level) at {@code at} within the subtree at
	 * {@code path}.
	 */
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

	/**
	 * A seal's area and time, nothing about the people in it (for figures and public
	 * notices).
	 */
	public record AreaInForce(long nodeId, String path, Level level, Instant startsAt, Instant plannedEndAt) {
	}

	/**
	 * Seals in force at some moment between {@code from} and {@code to} within the
	 * subtree of {@code node}, ordered by path (an area before the areas inside it).
	 */
	@Transactional(readOnly = true)
	public List<AreaInForce> inForceBetween(CurrentUser user, Node node, Instant from, Instant to) {
		user.requireCovers(node.path());
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

	/** Seals in force now within the subtree of {@code node}, outermost first. */
	@Transactional(readOnly = true)
	public List<AreaInForce> inForceNow(CurrentUser user, Node node) {
		user.requireCovers(node.path());
		return this.jdbc.sql(AREAS + """
				 where path ~>=~ :path and path ~<~ :end and starts_at <= :now and ended_at is null
				order by path limit 500""")
			.param("path", node.path())
			.param("end", node.subtreeEnd())
			.param("now", Timestamp.from(this.clock.instant()))
			.query((rs, i) -> area(rs))
			.list();
	}

	private static final String AREAS = "select node_id, path, level, starts_at, planned_end_at from sealed_area";

	private static AreaInForce area(java.sql.ResultSet rs) throws java.sql.SQLException {
		return new AreaInForce(rs.getLong("node_id"), rs.getString("path"), Level.valueOf(rs.getString("level")),
				rs.getTimestamp("starts_at").toInstant(), rs.getTimestamp("planned_end_at").toInstant());
	}

	/** "/1/2/3/" → {"/1/", "/1/2/", "/1/2/3/"} */
	private static String[] ancestors(String path) {
		List<String> result = new java.util.ArrayList<>();
		int from = 1;
		int slash;
		while ((slash = path.indexOf('/', from)) > 0) {
			result.add(path.substring(0, slash + 1));
			from = slash + 1;
		}
		return result.toArray(String[]::new);
	}

	private static final String SELECT = """
			select s.id, s.node_id, s.path, s.level, s.reason, s.order_ref, s.starts_at, s.planned_end_at, s.ended_at
			from sealed_area s""";

	private Seal map(CurrentUser user, java.sql.ResultSet rs) throws java.sql.SQLException {
		String path = rs.getString(3);
		long nodeId = rs.getLong(2);
		String area = user.covers(path) ? area(user, this.tree.node(user, nodeId)) : "";
		return new Seal(rs.getLong(1), nodeId, path, area, Level.valueOf(rs.getString(4)), rs.getString(5),
				rs.getString(6), rs.getTimestamp(7).toInstant(), rs.getTimestamp(8).toInstant(),
				rs.getTimestamp(9) == null ? null : rs.getTimestamp(9).toInstant(),
				this.directory.countLivingWithin(path));
	}

	private Seal open(CurrentUser user, long id) {
		user.require(Permission.MANAGE_CONTAINMENT);
		Seal seal = get(user, id);
		if (seal.endedAt() != null) {
			throw new InvalidInput("id", "seal.alreadyEnded");
		}
		return seal;
	}

	/** One text per phone number: a family sharing a phone gets it once. */
	private int notify(Seal seal, EventKind kind, String template, List<?> args) {
		Set<String> phones = new HashSet<>();
		int queued = 0;
		for (ResidentDirectory.Contact contact : this.directory.contactsWithin(seal.path())) {
			if (!phones.add(contact.phone().value())) {
				continue;
			}
			String key = "containment:seal:" + seal.id() + ":" + kind + ":" + eventNumber(seal.id()) + ":resident:"
					+ contact.residentId();
			if (this.outbox.queue(new Outbox.Sms(key, contact.phone(), template, args, contact.path()))) {
				queued++;
			}
		}
		return queued;
	}

	private int eventNumber(long sealId) {
		return this.jdbc.sql("select count(*) from sealed_area_event where sealed_area_id = :id")
			.param("id", sealId)
			.query(Integer.class)
			.single();
	}

	private void event(CurrentUser user, long id, EventKind kind, Instant plannedEnd, String note, int notified) {
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
		this.events.publishEvent(AuditEvent.of(user, "SEAL_" + kind, "sealed_area", id, note));
	}

	/** "福乐湾小区 3号楼 2单元": the trail below the community. */
	private String area(CurrentUser user, Node node) {
		List<Node> trail = this.tree.trail(user, node);
		StringBuilder text = new StringBuilder();
		for (Node n : trail) {
			if (n.kind().ordinal() >= NodeKind.COMMUNITY.ordinal()) {
				text.append(text.isEmpty() ? "" : " ").append(n.name());
			}
		}
		return text.isEmpty() ? node.name() : text.toString();
	}

	/** The community's name signs the text ("【福乐湾社区】"). */
	private String signature(CurrentUser user, Node node) {
		return this.tree.trail(user, node)
			.stream()
			.filter(n -> n.kind() == NodeKind.COMMUNITY)
			.map(Node::name)
			.findFirst()
			.orElse(node.name());
	}

	private static String levelText(Level level) {
		return level == Level.SEALED ? "封控管理" : "管控（闭环）管理";
	}

	private Instant plannedEnd(Instant plannedEndAt, Integer hours, Instant startsAt) {
		Instant end;
		if (plannedEndAt != null) {
			end = plannedEndAt;
		}
		else if (hours != null) {
			if (hours < 1 || hours > 24 * 60) {
				throw new InvalidInput("hours", "seal.hours.range");
			}
			end = startsAt.plus(Duration.ofHours(hours));
		}
		else {
			throw new InvalidInput("plannedEndAt", "seal.end.required");
		}
		if (!end.isAfter(startsAt)) {
			throw new InvalidInput("plannedEndAt", "seal.end.beforeStart");
		}
		return end;
	}

	static Level parseLevel(String raw) {
		try {
			return Level.valueOf(raw == null ? "" : raw.trim().toUpperCase());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidInput("level", "seal.level.invalid");
		}
	}

}
