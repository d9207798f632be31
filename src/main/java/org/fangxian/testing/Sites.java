package org.fangxian.testing;

import java.util.List;

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
 * Testing sites (采样点) and their sampling points (采样台), with a green channel (绿色通道) for the
 * elderly and disabled, and the pace of each site: swabs in the last 15 minutes, per minute.
 */
@Service
class Sites {

	private final JdbcClient jdbc;

	private final Rounds rounds;

	private final ApplicationEventPublisher events;

	Sites(JdbcClient jdbc, Rounds rounds, ApplicationEventPublisher events) {
		this.jdbc = jdbc;
		this.rounds = rounds;
		this.events = events;
	}

	record NewSite(Long nodeId, String name, String address, String openingHours) {
	}

	record NewPoint(String name, Boolean greenChannel, String openingHours, String staff) {
	}

	public record Point(long id, long siteId, String name, boolean greenChannel, String openingHours, String staff) {
	}

	/** @param perMinute swabs per minute over the last 15 minutes, across the site's points */
	public record Site(long id, long nodeId, String path, String name, String address, String openingHours, double perMinute,
			List<Point> points) {
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

	/** Sites overlapping the user's jurisdiction (a street's site serves its communities too). */
	@Transactional(readOnly = true)
	public List<Site> list(CurrentUser user) {
		List<Long> ids = this.jdbc.sql("""
				select id from testing_site where path like :scope or :scopePath like path || '%' order by path, name limit 500""")
			.param("scope", user.scopePattern())
			.param("scopePath", user.scopePath())
			.query(Long.class)
			.list();
		return ids.stream().map(this::load).toList();
	}

	@Transactional(readOnly = true)
	public Site get(CurrentUser user, long id) {
		Site site = this.jdbc.sql("select count(*) from testing_site where id = :id").param("id", id).query(Integer.class).single() == 0
				? null : load(id);
		if (site == null) {
			throw new NotFound("testing.site.notFound");
		}
		if (!Rounds.overlaps(user, site.path())) {
			throw new org.fangxian.security.CurrentUser.OutsideJurisdictionException();
		}
		return site;
	}

	private Site load(long id) {
		List<Point> points = this.jdbc.sql("""
				select id, site_id, name, green_channel, opening_hours, staff from sampling_point where site_id = :id order by green_channel desc, name""")
			.param("id", id)
			.query(Point.class)
			.list();
		double perMinute = this.jdbc.sql("""
				select count(*) from sample s join tube t on t.id = s.tube_id join sampling_point p on p.id = t.point_id
				where p.site_id = :id and s.taken_at > now() - interval '15 minutes'""")
			.param("id", id)
			.query(Long.class)
			.single() / 15.0;
		return this.jdbc.sql("select id, node_id, path, name, address, opening_hours from testing_site where id = :id")
			.param("id", id)
			.query((rs, n) -> new Site(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
					rs.getString(6), Math.round(perMinute * 10) / 10.0, points))
			.single();
	}

	private static String blankToNull(String raw, int max) {
		String clean = FullWidth.clean(raw);
		if (clean.isEmpty()) {
			return null;
		}
		return clean.length() > max ? clean.substring(0, max) : clean;
	}

}
