package org.fangxian.testing.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.fangxian.audit.AuditEvent;
import org.fangxian.registry.Node;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.FullWidth;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.NotFound;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Testing sites (采样点) and their sampling points (采样台), with a green channel (绿色通道) for
 * the elderly and disabled, and the pace of each site: swabs in the last 15 minutes, per
 * minute. With the queue a volunteer counts at the end of the line, that gives the wait
 * shown on the public board.
 */
@Service
public class Sites {

	private final JdbcClient jdbc;

	private final Rounds rounds;

	private final ApplicationEventPublisher events;

	Sites(JdbcClient jdbc, Rounds rounds, ApplicationEventPublisher events) {
		this.jdbc = jdbc;
		this.rounds = rounds;
		this.events = events;
	}

	public record NewSite(Long nodeId, String name, String address, String openingHours) {
	}

	public record NewPoint(String name, Boolean greenChannel, String openingHours, String staff) {
	}

	/**
	 * @param perMinute swabs per minute at this point over the last 15 minutes
	 */
	public record Point(long id, long siteId, String name, boolean greenChannel, String openingHours, String staff,
			double perMinute) {
	}

	/**
	 * @param perMinute swabs per minute over the last 15 minutes, across the site's
	 * points
	 * @param waiting people in the queue as last counted, null when nobody counted in the
	 * last 30 minutes
	 * @param countedAt when they were counted
	 * @param waitMinutes the expected wait: waiting ÷ pace; null when unknown (no count,
	 * or no swabs lately)
	 */
	public record Site(long id, long nodeId, String path, String name, String address, String openingHours,
			double perMinute, Integer waiting, Instant countedAt, Integer waitMinutes, List<Point> points) {

		public boolean greenChannel() {
			return this.points.stream().anyMatch(Point::greenChannel);
		}

	}

	/**
	 * A count of the queue is believed for this long; then the board says it does not
	 * know.
	 */
	public static final Duration QUEUE_COUNT_FRESH = Duration.ofMinutes(30);

	static final int MAX_WAITING = 5000;

	/** The expected wait in whole minutes, rounded up; null when it cannot be told. */
	static Integer waitMinutes(Integer waiting, double perMinute) {
		if (waiting == null) {
			return null;
		}
		if (waiting == 0) {
			return 0;
		}
		return perMinute <= 0 ? null : (int) Math.ceil(waiting / perMinute);
	}

	@Transactional
	public Site create(CurrentUser user, NewSite form) {
		user.require(Permission.MANAGE_TESTING);
		Node node = this.rounds.place(user, form.nodeId(), null);
		String name = FullWidth.clean(form.name());
		if (name.isEmpty() || name.length() > 100) {
			throw new InvalidInput("name", name.isEmpty() ? "node.name.blank" : "node.name.tooLong");
		}
		try {
			long id = this.jdbc.sql("""
					insert into testing_site (node_id, path, name, address, opening_hours)
					values (:node, :path, :name, :address, :hours) returning id""")
				.param("node", node.id())
				.param("path", node.path())
				.param("name", name)
				.param("address", blankToNull(form.address(), 300))
				.param("hours", blankToNull(form.openingHours(), 60))
				.query(Long.class)
				.single();
			this.events.publishEvent(AuditEvent.of(user, "TESTING_SITE_CREATED", "testing_site", id, name));
			return get(user, id);
		}
		catch (DuplicateKeyException ex) {
			throw new InvalidInput("name", "node.name.taken");
		}
	}

	@Transactional
	public Site addPoint(CurrentUser user, long siteId, NewPoint form) {
		user.require(Permission.MANAGE_TESTING);
		Site site = get(user, siteId);
		user.requireCovers(site.path());
		String name = FullWidth.clean(form.name());
		if (name.isEmpty() || name.length() > 100) {
			throw new InvalidInput("name", name.isEmpty() ? "node.name.blank" : "node.name.tooLong");
		}
		try {
			this.jdbc.sql("""
					insert into sampling_point (site_id, name, green_channel, opening_hours, staff)
					values (:site, :name, :green, :hours, :staff)""")
				.param("site", siteId)
				.param("name", name)
				.param("green", Boolean.TRUE.equals(form.greenChannel()))
				.param("hours", blankToNull(form.openingHours(), 60))
				.param("staff", blankToNull(form.staff(), 300))
				.update();
		}
		catch (DuplicateKeyException ex) {
			throw new InvalidInput("name", "node.name.taken");
		}
		return get(user, siteId);
	}

	/**
	 * The volunteer at the end of the line says how many are waiting. Anyone sampling or
	 * running testing where the site serves may say it; the latest count wins.
	 */
	@Transactional
	public Site countQueue(CurrentUser user, long siteId, Integer waiting) {
		if (!user.can(Permission.COLLECT_SAMPLES)) {
			user.require(Permission.MANAGE_TESTING);
		}
		get(user, siteId);
		if (waiting == null || waiting < 0 || waiting > MAX_WAITING) {
			throw new InvalidInput("waiting", "testing.site.queue.invalid", MAX_WAITING);
		}
		this.jdbc.sql("""
				update testing_site set queue_waiting = :waiting, queue_reported_at = now(), queue_reported_by = :by
				where id = :id""").param("waiting", waiting).param("by", user.accountId()).param("id", siteId).update();
		return load(siteId);
	}

	/**
	 * The public board: every site, or those serving the place with this division code
	 * (and the sites of the street or district above it, which serve it too). No personal
	 * data, so no sign-in.
	 */
	@Transactional(readOnly = true)
	public List<Site> board(String divisionCode) {
		String code = FullWidth.clean(divisionCode);
		if (code.isEmpty()) {
			return load(this.jdbc.sql("select id from testing_site order by path, name limit 200")
				.query(Long.class)
				.list());
		}
		List<String> paths = this.jdbc.sql("select path from registry_division where code = :code")
			.param("code", code)
			.query(String.class)
			.list();
		if (paths.isEmpty()) {
			throw new NotFound("testing.site.board.unknownPlace");
		}
		return load(this.jdbc
			.sql("""
					select id from testing_site where path like :pattern or :path like path || '%' order by path, name limit 200""")
			.param("pattern", paths.get(0) + "%")
			.param("path", paths.get(0))
			.query(Long.class)
			.list());
	}

	/**
	 * Sites overlapping the user's jurisdiction (a street's site serves its communities
	 * too).
	 */
	@Transactional(readOnly = true)
	public List<Site> list(CurrentUser user) {
		return load(this.jdbc
			.sql("""
					select id from testing_site where path like :scope or :scopePath like path || '%' order by path, name limit 500""")
			.param("scope", user.scopePattern())
			.param("scopePath", user.scopePath())
			.query(Long.class)
			.list());
	}

	@Transactional(readOnly = true)
	public Site get(CurrentUser user, long id) {
		Site site = load(id);
		if (!Rounds.overlaps(user, site.path())) {
			throw new org.fangxian.security.CurrentUser.OutsideJurisdictionException();
		}
		return site;
	}

	private Site load(long id) {
		List<Site> one = load(List.of(id));
		if (one.isEmpty()) {
			throw new NotFound("testing.site.notFound");
		}
		return one.get(0);
	}

	/**
	 * The sites with their points and pace, in the order given: three statements however
	 * many sites (the public board is opened by many phones and reloads every minute).
	 */
	private List<Site> load(List<Long> ids) {
		if (ids.isEmpty()) {
			return List.of();
		}
		// Samples of the tubes each point opened in the last two hours, taken in the last
		// 15 minutes.
		Map<Long, Long> recent = new HashMap<>();
		this.jdbc.sql("""
				select t.point_id, count(*) from sampling_point p
				join tube t on t.point_id = p.id and t.opened_at > now() - interval '2 hours'
				join sample s on s.tube_id = t.id and s.taken_at > now() - interval '15 minutes'
				where p.site_id in (:ids) group by t.point_id""")
			.param("ids", ids)
			.query((rs, n) -> recent.put(rs.getLong(1), rs.getLong(2)))
			.list();
		Map<Long, List<Point>> points = new HashMap<>();
		this.jdbc
			.sql("""
					select id, site_id, name, green_channel, opening_hours, staff from sampling_point where site_id in (:ids)
					order by green_channel desc, name""")
			.param("ids", ids)
			.query((rs, n) -> new Point(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getBoolean(4),
					rs.getString(5), rs.getString(6), pace(recent.getOrDefault(rs.getLong(1), 0L))))
			.list()
			.forEach(point -> points.computeIfAbsent(point.siteId(), k -> new ArrayList<>()).add(point));
		Map<Long, Site> sites = new HashMap<>();
		this.jdbc.sql("""
				select id, node_id, path, name, address, opening_hours, queue_reported_at,
				       case when queue_reported_at > now() - cast(:fresh as interval) then queue_waiting end as waiting
				from testing_site where id in (:ids)""")
			.param("fresh", QUEUE_COUNT_FRESH.toMinutes() + " minutes")
			.param("ids", ids)
			.query((rs, n) -> {
				long id = rs.getLong(1);
				List<Point> own = points.getOrDefault(id, List.of());
				double perMinute = pace(own.stream().mapToLong(point -> recent.getOrDefault(point.id(), 0L)).sum());
				Integer waiting = rs.getObject("waiting", Integer.class);
				java.sql.Timestamp countedAt = rs.getTimestamp("queue_reported_at");
				return new Site(id, rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
						perMinute, waiting, waiting == null ? null : countedAt.toInstant(),
						waitMinutes(waiting, perMinute), own);
			})
			.list()
			.forEach(site -> sites.put(site.id(), site));
		return ids.stream().map(sites::get).filter(java.util.Objects::nonNull).toList();
	}

	/** Swabs in 15 minutes as a per-minute pace, one decimal. */
	private static double pace(long swabsIn15Minutes) {
		return Math.round(swabsIn15Minutes / 15.0 * 10) / 10.0;
	}

	private static String blankToNull(String raw, int max) {
		String clean = FullWidth.clean(raw);
		if (clean.isEmpty()) {
			return null;
		}
		return clean.length() > max ? clean.substring(0, max) : clean;
	}

}
