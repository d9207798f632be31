package org.fangxian.task.internal;

import java.sql.Timestamp;
import java.time.Clock;
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
 * Tasks on the dashboard and in the daily report: open and overdue supply requests (生活保障)
 * and, as they come, work orders and rectifications, per node. Open tasks are few
 * (hundreds per street), so they are counted from the task table over the node's subtree
 * range, on the {@code task_path} index that includes type, open and deadline. For a past
 * day the figures are as of the end of that day.
 */
@Component
class TaskFigures implements FigureSource {

	private final JdbcClient jdbc;

	private final Clock clock;

	TaskFigures(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	@Override
	public String section() {
		return "tasks";
	}

	@Override
	public Map<String, Long> figures(CurrentUser user, Node node, LocalDate day) {
		Timestamp end = Timestamp.from(ChinaStandardTime.startOf(day.plusDays(1)));
		Timestamp now = Timestamp.from(this.clock.instant());
		Timestamp at = end.before(now) ? end : now;
		Map<String, Long> figures = new LinkedHashMap<>();
		this.jdbc.sql("""
				select count(*) filter (where type = 'SUPPORT') as support_open,
				       count(*) filter (where type = 'SUPPORT' and due_at < :at) as support_overdue,
				       count(*) filter (where type = 'WORK_ORDER') as work_orders_open,
				       count(*) filter (where type = 'WORK_ORDER' and due_at < :at) as work_orders_overdue,
				       count(*) filter (where type = 'RECTIFICATION') as rectifications_open,
				       count(*) filter (where type = 'RECTIFICATION' and due_at < :at) as rectifications_overdue
				from task
				where path >= :path and path < :end and created_at < :at
				  and (open or closed_at >= :at)""")
			.param("at", at)
			.param("path", node.path())
			.param("end", node.subtreeEnd())
			.query((rs, n) -> {
				figures.put("supportOpen", rs.getLong("support_open"));
				figures.put("supportOverdue", rs.getLong("support_overdue"));
				figures.put("workOrdersOpen", rs.getLong("work_orders_open"));
				figures.put("workOrdersOverdue", rs.getLong("work_orders_overdue"));
				figures.put("rectificationsOpen", rs.getLong("rectifications_open"));
				figures.put("rectificationsOverdue", rs.getLong("rectifications_overdue"));
				return null;
			})
			.list();
		return figures;
	}

}
