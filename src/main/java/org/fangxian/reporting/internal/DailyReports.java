package org.fangxian.reporting.internal;

import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.fangxian.audit.AuditEvent;
import org.fangxian.registry.DivisionTree;
import org.fangxian.registry.Node;
import org.fangxian.registry.NodeKind;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.FullWidth;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.NotFound;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import tools.jackson.databind.json.JsonMapper;

/**
 * Daily reports (日报) of streets and districts: one per node and day, created by hand or
 * by the evening schedule, edited while a draft, submitted, reopened by the HQ with a
 * reason (audited).
 */
@Service
public class DailyReports {

	static final int TEXT_MAX = 4000;

	private final JdbcClient jdbc;

	private final Dashboards dashboards;

	private final DivisionTree tree;

	private final ApplicationEventPublisher events;

	private final JsonMapper json;

	private final Clock clock;

	DailyReports(JdbcClient jdbc, Dashboards dashboards, DivisionTree tree, ApplicationEventPublisher events,
			JsonMapper json, Clock clock) {
		this.jdbc = jdbc;
		this.dashboards = dashboards;
		this.tree = tree;
		this.events = events;
		this.json = json;
		this.clock = clock;
	}

	/**
	 * A report and whether this call created it (a repeated create returns the first
	 * one).
	 */
	public record Created(DailyReport report, boolean created) {
	}

	@Transactional
	public Created create(CurrentUser user, String code, String date) {
		user.require(Permission.WRITE_DAILY_REPORTS);
		Node node = this.dashboards.node(user, code);
		if (node.kind() != NodeKind.STREET && node.kind() != NodeKind.DISTRICT) {
			throw new InvalidInput("code", "report.node.kind");
		}
		LocalDate day = this.dashboards.day(date);
		if (day.isAfter(this.dashboards.today())) {
			throw new InvalidInput("date", "report.date.future");
		}
		boolean created = insert(user, node, day, user.accountId());
		long id = this.jdbc.sql("select id from daily_report where node_id = :node and day = :day")
			.param("node", node.id())
			.param("day", Date.valueOf(day))
			.query(Long.class)
			.single();
		return new Created(get(user, id), created);
	}

	/** Inserts the draft unless the node has a report that day; true when it did. */
	private boolean insert(CurrentUser user, Node node, LocalDate day, Long by) {
		Dashboard figures = this.dashboards.of(user, node, day);
		return this.jdbc.sql("""
				insert into daily_report (node_id, path, day, figures, created_by)
				values (:node, :path, :day, cast(:figures as jsonb), :by)
				on conflict (node_id, day) do nothing""")
			.param("node", node.id())
			.param("path", node.path())
			.param("day", Date.valueOf(day))
			.param("figures", this.json.writeValueAsString(figures))
			.param("by", by)
			.update() == 1;
	}

	/**
	 * The evening's drafts for every street and district that has none yet; returns how
	 * many were made. Every application node runs the schedule at the same minute: the
	 * advisory lock lets one node work while the others wait, and a node that gets the
	 * lock after it skips the reports made meanwhile before computing their figures, so
	 * the dashboards are read once, not once per node (a node that crashed mid-way rolled
	 * back, and the next one makes them all).
	 */
	@Transactional
	public int generateDrafts(CurrentUser system, LocalDate day) {
		this.jdbc.sql("select pg_advisory_xact_lock(hashtext('reporting:daily-drafts'))").query().listOfRows();
		Set<Long> existing = new HashSet<>(this.jdbc.sql("select node_id from daily_report where day = :day")
			.param("day", Date.valueOf(day))
			.query(Long.class)
			.list());
		int made = 0;
		for (Node top : this.tree.tops(system)) {
			List<Node> nodes = new ArrayList<>();
			if (top.kind() == NodeKind.DISTRICT || top.kind() == NodeKind.STREET) {
				nodes.add(top);
			}
			nodes.addAll(this.tree.within(system, top.id(), NodeKind.DISTRICT));
			nodes.addAll(this.tree.within(system, top.id(), NodeKind.STREET));
			for (Node node : nodes.stream().distinct().filter(n -> !existing.contains(n.id())).toList()) {
				if (insert(system, node, day, null)) {
					made++;
				}
			}
		}
		return made;
	}

	@Transactional(readOnly = true)
	public DailyReport get(CurrentUser user, long id) {
		user.require(Permission.WRITE_DAILY_REPORTS);
		Row row = find(id).orElseThrow(() -> new NotFound("report.notFound"));
		user.requireCovers(row.path());
		return view(user, row);
	}

	@Transactional
	public DailyReport edit(CurrentUser user, long id, String workDone, String problems, String plans) {
		DailyReport report = get(user, id).edit(text("workDone", workDone), text("problems", problems),
				text("plans", plans));
		Dashboard figures = fresh(user, report);
		this.jdbc.sql("""
				update daily_report set work_done = :workDone, problems = :problems, plans = :plans,
				    figures = cast(:figures as jsonb), updated_at = now()
				where id = :id and state = 'DRAFT'""")
			.param("workDone", report.workDone())
			.param("problems", report.problems())
			.param("plans", report.plans())
			.param("figures", this.json.writeValueAsString(figures))
			.param("id", id)
			.update();
		return get(user, id);
	}

	/** Submitting twice answers the same: a retried submission is not an error. */
	@Transactional
	public DailyReport submit(CurrentUser user, long id) {
		DailyReport current = get(user, id);
		if (!current.draft()) {
			return current;
		}
		DailyReport report = current.submit(fresh(user, current), this.clock.instant());
		this.jdbc.sql("""
				update daily_report set state = 'SUBMITTED', submitted_at = :at, submitted_by = :by,
				    figures = cast(:figures as jsonb), updated_at = now()
				where id = :id and state = 'DRAFT'""")
			.param("at", Timestamp.from(report.submittedAt()))
			.param("by", user.accountId())
			.param("figures", this.json.writeValueAsString(report.figures()))
			.param("id", id)
			.update();
		this.events.publishEvent(
				AuditEvent.of(user, "DAILY_REPORT_SUBMITTED", "daily_report", id, report.code() + " " + report.date()));
		return get(user, id);
	}

	@Transactional
	public DailyReport reopen(CurrentUser user, long id, String reason) {
		user.require(Permission.REOPEN_DAILY_REPORTS);
		DailyReport report = get(user, id).reopen(limit(FullWidth.clean(reason), 300));
		this.jdbc.sql("""
				update daily_report set state = 'DRAFT', submitted_at = null, submitted_by = null, reopened_at = now(),
				    reopen_reason = :reason, updated_at = now()
				where id = :id and state = 'SUBMITTED'""")
			.param("reason", report.reopenReason())
			.param("id", id)
			.update();
		this.events
			.publishEvent(AuditEvent.of(user, "DAILY_REPORT_REOPENED", "daily_report", id, report.reopenReason()));
		return get(user, id);
	}

	/** Reports of the node (and, for a district, of its streets), newest day first. */
	@Transactional(readOnly = true)
	public List<DailyReport> history(CurrentUser user, Node node, int days) {
		user.require(Permission.WRITE_DAILY_REPORTS);
		user.requireCovers(node.path());
		return this.jdbc.sql(SELECT + " where r.node_id = :node order by r.day desc limit :limit")
			.param("node", node.id())
			.param("limit", days)
			.query(this::row)
			.list()
			.stream()
			.map(row -> view(user, row))
			.toList();
	}

	private Dashboard fresh(CurrentUser user, DailyReport report) {
		return this.dashboards.of(user, this.dashboards.node(user, report.code()), report.date());
	}

	private record Row(long id, long nodeId, String path, LocalDate day, String state, String figures, String workDone,
			String problems, String plans, Timestamp submittedAt, String reopenReason) {
	}

	private static final String SELECT = """
			select r.id, r.node_id, r.path, r.day, r.state, r.figures::text as figures, r.work_done, r.problems, r.plans,
			       r.submitted_at, r.reopen_reason
			from daily_report r""";

	private Row row(ResultSet rs, int n) throws SQLException {
		return new Row(rs.getLong("id"), rs.getLong("node_id"), rs.getString("path"), rs.getDate("day").toLocalDate(),
				rs.getString("state"), rs.getString("figures"), rs.getString("work_done"), rs.getString("problems"),
				rs.getString("plans"), rs.getTimestamp("submitted_at"), rs.getString("reopen_reason"));
	}

	private Optional<Row> find(long id) {
		return this.jdbc.sql(SELECT + " where r.id = :id").param("id", id).query(this::row).optional();
	}

	private DailyReport view(CurrentUser user, Row row) {
		Node node = this.tree.node(user, row.nodeId());
		List<DailyReport.Street> streets = List.of();
		if (node.kind() == NodeKind.DISTRICT) {
			// The district's report rolls up its streets' reports of the day and shows
			// who has not submitted.
			streets = this.tree.within(user, node.id(), NodeKind.STREET)
				.stream()
				.map(street -> this.jdbc
					.sql("""
							select id, state, work_done, problems, plans from daily_report where node_id = :node and day = :day""")
					.param("node", street.id())
					.param("day", Date.valueOf(row.day()))
					.query((rs, i) -> new DailyReport.Street(street.code(), street.name(),
							DailyReport.State.valueOf(rs.getString("state")), rs.getLong("id"),
							rs.getString("work_done"), rs.getString("problems"), rs.getString("plans")))
					.optional()
					.orElse(new DailyReport.Street(street.code(), street.name(), null, null, "", "", "")))
				.toList();
		}
		return new DailyReport(row.id(), node.code(), node.name(), node.kind().name(), row.day(),
				DailyReport.State.valueOf(row.state()), this.json.readValue(row.figures(), Dashboard.class),
				row.workDone(), row.problems(), row.plans(),
				row.submittedAt() == null ? null : row.submittedAt().toInstant(), row.reopenReason(), streets);
	}

	private static String text(String field, String raw) {
		String text = raw == null ? "" : raw.strip();
		if (text.length() > TEXT_MAX) {
			throw new InvalidInput(field, "report.text.tooLong", TEXT_MAX);
		}
		return text;
	}

	private static String limit(String text, int max) {
		return text.length() > max ? text.substring(0, max) : text;
	}

}
