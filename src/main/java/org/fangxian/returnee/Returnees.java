package org.fangxian.returnee;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.fangxian.registry.Node;
import org.fangxian.security.CurrentUser;
import org.fangxian.shared.ChinaStandardTime;
import org.fangxian.shared.PersonNames;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What other modules may know of returnees' self-reports: the door-to-door worker sees
 * the reports of a household's people (masked) and ties a knock to one. The caller checks
 * scope.
 */
@Service
public class Returnees {

	private final JdbcClient jdbc;

	Returnees(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** A self-report as seen at the door: the name masked (张*丰). */
	public record Reported(long id, String maskedName, String originName, LocalDate arrivalDate, String decision) {
	}

	/** The latest ten reports of these residents arrived on or after {@code since}. */
	@Transactional(readOnly = true)
	public List<Reported> arrivedSince(Collection<Long> residentIds, LocalDate since) {
		if (residentIds.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql("""
				select id, name, origin_name, arrival_date, decision from returnee_report
				where resident_id = any(:residents) and arrival_date >= :since
				order by arrival_date desc, id desc limit 10""")
			.param("residents", residentIds.toArray(Long[]::new))
			.param("since", since)
			.query((rs, n) -> new Reported(rs.getLong(1), PersonNames.mask(rs.getString(2)), rs.getString(3),
					rs.getObject(4, LocalDate.class), rs.getString(5)))
			.list();
	}

	/** The subtree path of the community a report was made to, if the report exists. */
	@Transactional(readOnly = true)
	public Optional<String> pathOf(long reportId) {
		return this.jdbc.sql("select path from returnee_report where id = :id")
			.param("id", reportId)
			.query(String.class)
			.optional();
	}

	/**
	 * Returnees' self-reports in the subtree awaiting a decision at the end of
	 * {@code day} (China Standard Time; now, for today): reported before, not decided
	 * before.
	 */
	public long returneesPending(CurrentUser user, Node node, LocalDate day) {
		user.requireCovers(node.path());
		return this.jdbc.sql("""
				select count(*) from returnee_report
				where path ~>=~ :path and path ~<~ :end and reported_at < :dayEnd
				  and (decided_at is null or decided_at >= :dayEnd)""")
			.param("path", node.path())
			.param("end", node.subtreeEnd())
			.param("dayEnd", Timestamp.from(ChinaStandardTime.startOf(day.plusDays(1))))
			.query(Long.class)
			.single();
	}

}
