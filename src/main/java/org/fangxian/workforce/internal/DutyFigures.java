package org.fangxian.workforce.internal;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

import org.fangxian.registry.Node;
import org.fangxian.reporting.FigureSource;
import org.fangxian.security.CurrentUser;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Volunteers on duty (在岗志愿者) on the dashboard and in the daily report, per subtree and
 * day: people with a shift that day in a roster in force, people who checked in, seats
 * flagged late and still without check-in, and for today the people on their post right
 * now (checked in, not out, shift under way). A seat counts where its post is; a person
 * with two shifts that day counts once. One statement over the day's seats (index
 * {@code duty_assignment_day}).
 */
@Component
class DutyFigures implements FigureSource {

	private final JdbcClient jdbc;

	private final Clock clock;

	DutyFigures(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	@Override
	public String section() {
		return "workforce";
	}

	@Override
	public Map<String, Long> figures(CurrentUser user, Node node, LocalDate day) {
		LocalDateTime now = LocalDateTime.now(this.clock);
		Map<String, Long> figures = new LinkedHashMap<>();
		this.jdbc.sql("""
				select count(distinct a.volunteer_id) as scheduled,
				       count(distinct a.volunteer_id) filter (where a.checked_in_at is not null) as checked_in,
				       count(distinct a.volunteer_id) filter (where a.checked_in_at is not null
				           and a.checked_out_at is null and a.starts_at <= :now and a.ends_at > :now) as on_post,
				       count(*) filter (where a.late_flagged_at is not null and a.checked_in_at is null) as late
				from duty_assignment a
				join duty_post p on p.id = a.post_id
				join duty_roster r on r.id = a.roster_id
				where a.day = :day and r.superseded_by is null and p.path >= :path and p.path < :end""")
			.param("day", day)
			.param("now", now)
			.param("path", node.path())
			.param("end", node.subtreeEnd())
			.query((rs, n) -> {
				figures.put("scheduled", rs.getLong("scheduled"));
				figures.put("checkedIn", rs.getLong("checked_in"));
				if (day.equals(now.toLocalDate())) {
					figures.put("onPostNow", rs.getLong("on_post"));
				}
				figures.put("late", rs.getLong("late"));
				return null;
			})
			.list();
		return figures;
	}

}
