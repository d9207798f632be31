package org.fangxian.tracing.internal;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

import org.fangxian.registry.Node;
import org.fangxian.reporting.FigureSource;
import org.fangxian.security.CurrentUser;
import org.fangxian.shared.ChinaStandardTime;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Tracing's figures on the dashboard and in the daily report (新增病例, 在管病例, 新增密接/次密接):
 * cases and decisions are few, so they are counted from tracing's own tables over the
 * node's subtree range.
 */
@Component
class TracingFigures implements FigureSource {

	private final JdbcClient jdbc;

	TracingFigures(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public String section() {
		return "tracing";
	}

	@Override
	public Map<String, Long> figures(CurrentUser user, Node node, LocalDate day) {
		Timestamp from = Timestamp.from(ChinaStandardTime.startOf(day));
		Timestamp to = Timestamp.from(ChinaStandardTime.startOf(day.plusDays(1)));
		Map<String, Long> figures = new LinkedHashMap<>();
		this.jdbc.sql("""
				select count(*) filter (where c.reported_at >= :from and c.reported_at < :to) as new_cases,
				       count(*) filter (where c.reported_at < :to
				                          and (c.discharged_at is null or c.discharged_at >= :to)) as open_cases
				from tracing_case c
				where c.path >= :path and c.path < :end""")
			.param("from", from)
			.param("to", to)
			.param("path", node.path())
			.param("end", node.subtreeEnd())
			.query((rs, n) -> {
				figures.put("newCases", rs.getLong("new_cases"));
				figures.put("openCases", rs.getLong("open_cases"));
				return null;
			})
			.list();
		this.jdbc.sql("""
				select count(*) filter (where t.category = 'CLOSE') as close_contacts,
				       count(*) filter (where t.category = 'SECONDARY') as secondary_contacts
				from tracing_contact t
				where t.path >= :path and t.path < :end and t.decided_at >= :from and t.decided_at < :to""")
			.param("from", from)
			.param("to", to)
			.param("path", node.path())
			.param("end", node.subtreeEnd())
			.query((rs, n) -> {
				figures.put("newCloseContacts", rs.getLong("close_contacts"));
				figures.put("newSecondaryContacts", rs.getLong("secondary_contacts"));
				return null;
			})
			.list();
		return figures;
	}

}
