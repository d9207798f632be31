package org.fangxian.screening;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;

import org.fangxian.registry.Node;
import org.fangxian.security.CurrentUser;
import org.fangxian.shared.ChinaStandardTime;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Door-to-door screening's figures for the dashboard and the daily report. */
@Service
public class ScreeningFigures {

	private final JdbcClient jdbc;

	ScreeningFigures(JdbcClient jdbc) {
		this.jdbc = jdbc;
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

}
