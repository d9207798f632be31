package org.fangxian.screening;

import java.sql.Date;
import java.time.LocalDate;

import org.fangxian.registry.Node;
import org.fangxian.registry.NodeKind;
import org.fangxian.security.CurrentUser;

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
		if (node.kind().compareTo(NodeKind.COMMUNITY) > 0) {
			return doorsBelowCommunity(node, day);
		}
		// screening_progress (V105), kept by the doors' and knocks' triggers: per
		// campaign and community the doors (day -infinity) and each door's first visit
		// on its day, so a district's figure is a few rows per community and day.
		return this.jdbc.sql("""
				select coalesce(sum(p.doors), 0) as doors, coalesce(sum(p.visited), 0) as visited
				from screening_campaign c join screening_progress p on p.campaign_id = c.id
				where c.starts_on <= :day and c.ends_on >= :day
				  and p.area_path ~>=~ :path and p.area_path ~<~ :end and p.day <= :day""")
			.param("path", node.path())
			.param("end", node.subtreeEnd())
			.param("day", Date.valueOf(day))
			.query((rs, i) -> new DoorToDoor(rs.getLong("doors"), rs.getLong("visited")))
			.single();
	}

	/**
	 * A compound, building or unit lies inside one community, below the read model's
	 * grain: its doors are few enough to count with their knocks.
	 */
	private DoorToDoor doorsBelowCommunity(Node node, LocalDate day) {
		return this.jdbc.sql("""
				select count(*) as doors,
				       count(*) filter (where v.first_visited_on <= :day) as visited
				from screening_visit v join screening_campaign c on c.id = v.campaign_id
				where v.path ~>=~ :path and v.path ~<~ :end and c.starts_on <= :day and c.ends_on >= :day""")
			.param("path", node.path())
			.param("end", node.subtreeEnd())
			.param("day", Date.valueOf(day))
			.query((rs, i) -> new DoorToDoor(rs.getLong("doors"), rs.getLong("visited")))
			.single();
	}

}
