package org.fangxian.task.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.fangxian.audit.AuditEvent;
import org.fangxian.notification.Outbox;
import org.fangxian.registry.DivisionTree;
import org.fangxian.registry.Node;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.security.PersonalDataProtection;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.PhoneNumber;
import org.fangxian.task.TransitionNotAllowed;
import org.fangxian.task.Urgency;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * 12345 hotline work orders (工单): taken in by an operator (or from the hotline's daily
 * export), dispatched (转派) to a street or community with a deadline, supervised (督办) and
 * escalated when overdue, answered to the caller by text and closed with their
 * satisfaction; with statistics by category, node and on-time rate.
 */
@Service
public class WorkOrders {

	static final Set<String> SATISFACTION = Set.of("SATISFIED", "BASICALLY_SATISFIED", "DISSATISFIED");

	private final JdbcClient jdbc;

	private final TaskBook tasks;

	private final DivisionTree tree;

	private final PersonalDataProtection protection;

	private final Outbox outbox;

	private final Attachments attachments;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	WorkOrders(JdbcClient jdbc, TaskBook tasks, DivisionTree tree, PersonalDataProtection protection, Outbox outbox,
			ApplicationEventPublisher events, Clock clock, Attachments attachments) {
		this.attachments = attachments;
		this.jdbc = jdbc;
		this.tasks = tasks;
		this.tree = tree;
		this.protection = protection;
		this.outbox = outbox;
		this.events = events;
		this.clock = clock;
	}

	public record NewOrder(String channel, String content, String callerPhone, Long nodeId, String category) {
	}

	/** A work order as the board shows it: the caller's phone masked. */
	public record Order(long id, String channel, String content, String category, String phone, long nodeId,
			String node, String state, Instant dueAt, boolean overdue, int escalationLevel, int supervised,
			String reply, String satisfaction, Instant createdAt, Instant closedAt, String hotlineRef) {
	}

	@Transactional
	public TaskRecord take(CurrentUser user, NewOrder form) {
		user.require(Permission.SUPERVISE_TASKS);
		if (!"12345".equals(form.channel() == null ? null : form.channel().strip())) {
			throw new InvalidInput("channel", "task.workOrder.channel");
		}
		String content = text("content", form.content(), 2000);
		String category = text("category", form.category(), 40);
		PhoneNumber phone = PhoneNumber.parse(form.callerPhone())
			.orElseThrow(() -> new InvalidInput("callerPhone", "task.workOrder.phone"));
		if (form.nodeId() == null) {
			throw new InvalidInput("nodeId", "task.field.required");
		}
		Node node = this.tree.node(user, form.nodeId());
		TaskRecord task = open(user, node, content, category, phone, null, null);
		this.events.publishEvent(AuditEvent.of(user, "WORK_ORDER_TAKEN", "task", task.id(), category));
		return task;
	}

	/**
	 * Opens a checked order at a node of the caller's jurisdiction; {@code hotlineRef}
	 * and {@code calledAt} come from the hotline's export.
	 */
	TaskRecord open(CurrentUser user, Node node, String content, String category, PhoneNumber phone, String hotlineRef,
			Instant calledAt) {
		TaskRecord task = this.tasks.create(TaskBook.Actor.of(user), new TaskBook.NewTask(WorkOrderState.Type.CODE,
				node.id(), node.path(), "NODE", node.id(), Urgency.NORMAL));
		this.jdbc.sql("""
				insert into work_order (task_id, channel, hotline_ref, content, category, phone_cipher, phone_masked,
				                        called_at)
				values (:task, '12345', :ref, :content, :category, :cipher, :masked, :calledAt)""")
			.param("task", task.id())
			.param("ref", hotlineRef)
			.param("content", content)
			.param("category", category)
			.param("cipher", this.protection.encrypt(phone.value()))
			.param("masked", phone.masked())
			.param("calledAt", calledAt == null ? null : Timestamp.from(calledAt))
			.update();
		return task;
	}

	static String text(String field, String raw, int max) {
		String value = raw == null ? "" : raw.strip();
		if (value.isEmpty()) {
			throw new InvalidInput(field, "task.field.required");
		}
		if (value.length() > max) {
			throw new InvalidInput(field, "task.field.tooLong", max);
		}
		return value;
	}

	/**
	 * Dispatches (转派) an order to a node of the caller's jurisdiction with a deadline of
	 * {@code days} (1 to 15): the order then belongs to that node's subtree.
	 */
	@Transactional
	public TaskRecord dispatch(CurrentUser user, long id, Long nodeId, Integer days, String note) {
		user.require(Permission.SUPERVISE_TASKS);
		TaskRecord task = this.tasks.get(user, WorkOrderState.Type.CODE, id);
		if (nodeId == null) {
			throw new InvalidInput("nodeId", "task.field.required");
		}
		int window = days == null ? 3 : days;
		if (window < 1 || window > 15) {
			throw new InvalidInput("days", "task.workOrder.days");
		}
		Node node = this.tree.node(user, nodeId);
		TaskRecord moved = this.tasks.move(TaskBook.Actor.of(user), task, WorkOrderState.DISPATCHED.name(), null,
				note == null || note.isBlank() ? node.name() : node.name() + "：" + text("note", note, 400));
		Instant now = this.clock.instant();
		this.jdbc.sql("""
				update task set node_id = :node, path = :path, due_at = :due,
				       escalation_level = 0, escalated_at = null
				where id = :id""")
			.param("node", node.id())
			.param("path", node.path())
			.param("due", Timestamp.from(now.plus(Duration.ofDays(window))))
			.param("id", id)
			.update();
		return moved;
	}

	/** Supervision (督办) by hand: recorded on the order and its history, audited. */
	@Transactional
	public void supervise(CurrentUser user, long id, String note) {
		user.require(Permission.SUPERVISE_TASKS);
		TaskRecord task = this.tasks.get(user, WorkOrderState.Type.CODE, id);
		if (!task.state().equals(WorkOrderState.DISPATCHED.name())) {
			throw new TransitionNotAllowed(task.state(), "SUPERVISED");
		}
		this.jdbc.sql("update work_order set supervised = supervised + 1 where task_id = :id").param("id", id).update();
		this.tasks.step(id, this.clock.instant(), TaskBook.Actor.of(user), "COMMENT", task.state(), task.state(),
				"督办：" + text("note", note, 400));
		this.events.publishEvent(AuditEvent.of(user, "WORK_ORDER_SUPERVISED", "task", id, null));
	}

	/**
	 * Answers the caller: the reply is kept and texted to the number they called from.
	 */
	@Transactional
	public TaskRecord reply(CurrentUser user, long id, String reply) {
		user.require(Permission.SUPERVISE_TASKS);
		TaskRecord task = this.tasks.get(user, WorkOrderState.Type.CODE, id);
		String text = text("reply", reply, 300);
		TaskRecord moved = this.tasks.move(TaskBook.Actor.of(user), task, WorkOrderState.REPLIED.name(), null, text);
		byte[] cipher = this.jdbc.sql("update work_order set reply = :reply where task_id = :id returning phone_cipher")
			.param("reply", text)
			.param("id", id)
			.query(byte[].class)
			.single();
		PhoneNumber.parse(this.protection.decrypt(cipher))
			.ifPresent(phone -> this.outbox.queue(new Outbox.Sms("task:work-order:" + id + ":reply", phone,
					"sms.task.workOrderReply", List.of(String.valueOf(id), text), task.path())));
		return moved;
	}

	static final Set<String> VERDICTS = Set.of("CONFIRMED", "PARTLY", "NOT_CONFIRMED");

	/**
	 * A complaint's verification (核实) on site: the verdict (属实, 部分属实, 不属实), what was
	 * found and the evidence (photos or PDFs, at least one, kept with the order as the
	 * engine's attachments). The order must be open; its history and the audit say who.
	 */
	@Transactional
	public long verify(CurrentUser user, long id, String verdict, String note, List<byte[]> evidence) {
		user.require(Permission.SUPERVISE_TASKS);
		TaskRecord task = this.tasks.get(user, WorkOrderState.Type.CODE, id);
		String value = verdict == null ? "" : verdict.strip().toUpperCase(Locale.ROOT);
		if (!VERDICTS.contains(value)) {
			throw new InvalidInput("verdict", "task.verification.verdict");
		}
		String found = text("note", note, 500);
		List<byte[]> files = evidence == null ? List.of()
				: evidence.stream().filter(b -> b != null && b.length > 0).toList();
		if (files.isEmpty()) {
			throw new InvalidInput("file", "task.verification.evidence");
		}
		files.forEach(Attachments::check);
		if (task.closedAt() != null) {
			throw new TransitionNotAllowed(task.state(), "VERIFIED");
		}
		Instant now = this.clock.instant();
		long verification = this.jdbc.sql("""
				insert into work_order_verification (task_id, verdict, note, by_id, at)
				values (:task, :verdict, :note, :by, :at) returning id""")
			.param("task", id)
			.param("verdict", value)
			.param("note", found)
			.param("by", user.accountId())
			.param("at", java.sql.Timestamp.from(now))
			.query(Long.class)
			.single();
		for (byte[] file : files) {
			this.attachments.add(id, user.accountId(), file);
		}
		this.tasks.step(id, now, TaskBook.Actor.of(user), "COMMENT", task.state(), task.state(),
				"核实：" + VERDICT_TEXT.get(value) + "。" + found);
		this.events.publishEvent(AuditEvent.of(user, "WORK_ORDER_VERIFIED", "task", id, value));
		return verification;
	}

	/** The history's words for a verdict (the history is read as it was written). */
	static final java.util.Map<String, String> VERDICT_TEXT = java.util.Map.of("CONFIRMED", "属实", "PARTLY", "部分属实",
			"NOT_CONFIRMED", "不属实");

	/** Closes a replied order with the caller's satisfaction. */
	@Transactional
	public TaskRecord close(CurrentUser user, long id, String satisfaction) {
		user.require(Permission.SUPERVISE_TASKS);
		TaskRecord task = this.tasks.get(user, WorkOrderState.Type.CODE, id);
		String value = satisfaction == null ? "" : satisfaction.strip().toUpperCase(Locale.ROOT);
		if (!SATISFACTION.contains(value)) {
			throw new InvalidInput("satisfaction", "task.workOrder.satisfaction");
		}
		TaskRecord moved = this.tasks.move(TaskBook.Actor.of(user), task, WorkOrderState.CLOSED.name(), null, value);
		this.jdbc.sql("update work_order set satisfaction = :s where task_id = :id")
			.param("s", value)
			.param("id", id)
			.update();
		return moved;
	}

	static final String LIST = """
			select t.id, t.node_id, t.state, t.due_at, t.escalation_level, t.created_at, t.closed_at,
			       w.channel, w.content, w.category, w.phone_masked, w.reply, w.satisfaction, w.supervised,
			       w.hotline_ref
			from task t join work_order w on w.task_id = t.id
			""";

	/**
	 * The orders of the caller's subtree; {@code overdue}: only open ones past their
	 * deadline.
	 */
	public List<Order> list(CurrentUser user, boolean overdue) {
		user.require(Permission.SUPERVISE_TASKS);
		Instant now = this.clock.instant();
		List<Order> rows = this.jdbc
			.sql(LIST + "where t.path like :scope" + (overdue ? " and t.open and t.due_at < :now" : "")
					+ " order by t.open desc, t.due_at limit 500")
			.param("scope", user.scopePattern())
			.param("now", Timestamp.from(now))
			.query((rs, n) -> {
				Instant due = rs.getTimestamp("due_at").toInstant();
				Timestamp closed = rs.getTimestamp("closed_at");
				return new Order(rs.getLong("id"), rs.getString("channel"), rs.getString("content"),
						rs.getString("category"), rs.getString("phone_masked"), rs.getLong("node_id"), null,
						rs.getString("state"), due, closed == null && due.isBefore(now), rs.getInt("escalation_level"),
						rs.getInt("supervised"), rs.getString("reply"), rs.getString("satisfaction"),
						rs.getTimestamp("created_at").toInstant(), closed == null ? null : closed.toInstant(),
						rs.getString("hotline_ref"));
			})
			.list();
		java.util.Map<Long, String> names = new java.util.HashMap<>();
		return rows.stream()
			.map(o -> new Order(o.id(), o.channel(), o.content(), o.category(), o.phone(), o.nodeId(),
					names.computeIfAbsent(o.nodeId(), nodeId -> this.tree.node(user, nodeId).name()), o.state(),
					o.dueAt(), o.overdue(), o.escalationLevel(), o.supervised(), o.reply(), o.satisfaction(),
					o.createdAt(), o.closedAt(), o.hotlineRef()))
			.toList();
	}

	/** Counts per category or per node: all, closed, closed on time, open and overdue. */
	public record Line(String key, long total, long closed, long onTime, long overdue, Double onTimeRate) {

		/**
		 * {@code onTimeRate}: closed on time among those closed, in percent; null before
		 * any is closed.
		 */
		Line(String key, long total, long closed, long onTime, long overdue) {
			this(key, total, closed, onTime, overdue, closed == 0 ? null : Math.round(1000.0 * onTime / closed) / 10.0);
		}

	}

	public record Statistics(Line all, List<Line> byCategory, List<Line> byNode) {
	}

	public Statistics statistics(CurrentUser user) {
		user.require(Permission.SUPERVISE_TASKS);
		String counts = """
				select %s as key, count(*) as total, count(t.closed_at) as closed,
				       count(*) filter (where t.closed_at <= t.due_at) as on_time,
				       count(*) filter (where t.open and t.due_at < :now) as overdue
				from task t join work_order w on w.task_id = t.id
				where t.path like :scope
				group by 1 order by 2 desc, 1""";
		Timestamp now = Timestamp.from(this.clock.instant());
		java.util.function.Function<String, List<Line>> by = key -> this.jdbc.sql(counts.formatted(key))
			.param("scope", user.scopePattern())
			.param("now", now)
			.query((rs, n) -> new Line(rs.getString("key"), rs.getLong("total"), rs.getLong("closed"),
					rs.getLong("on_time"), rs.getLong("overdue")))
			.list();
		List<Line> all = by.apply("'all'");
		List<Line> byNode = by.apply("t.node_id::text")
			.stream()
			.map(l -> new Line(this.tree.node(user, Long.parseLong(l.key())).name(), l.total(), l.closed(), l.onTime(),
					l.overdue()))
			.toList();
		return new Statistics(all.isEmpty() ? new Line("all", 0, 0, 0, 0) : all.get(0), by.apply("w.category"), byNode);
	}

}
