package org.fangxian.task.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.fangxian.audit.AuditEvent;
import org.fangxian.security.CurrentUser;
import org.fangxian.shared.NotFound;
import org.fangxian.task.TaskEscalated;
import org.fangxian.task.TaskType;
import org.fangxian.task.TransitionNotAllowed;
import org.fangxian.task.Urgency;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The engine under every front door: creates tasks with their type's deadline, moves them
 * with one conditional update (whoever comes second finds the state changed and gets
 * 409), keeps the history with who and when, escalates what is overdue, and audits each
 * step. Every read and write is limited to the caller's subtree.
 */
@Service
public class TaskBook {

	private final JdbcClient jdbc;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final Map<String, TaskType> types;

	TaskBook(JdbcClient jdbc, ApplicationEventPublisher events, Clock clock, List<TaskType> types) {
		this.jdbc = jdbc;
		this.events = events;
		this.clock = clock;
		this.types = types.stream().collect(Collectors.toMap(TaskType::code, Function.identity()));
	}

	/** Who acts: an account, or a resident through their no-login link (no account). */
	public record Actor(Long accountId, String name) {

		public static Actor of(CurrentUser user) {
			return new Actor(user.accountId(), user.username());
		}

	}

	public record NewTask(String type, long nodeId, String path, String subjectKind, long subjectId, Urgency urgency) {
	}

	/** One line of a task's history. */
	public record Step(Instant at, String actor, String kind, String fromState, String toState, String note) {
	}

	static final String SELECT = """
			select id, type, node_id, path, subject_kind, subject_id, state, urgency, assignee_id, due_at,
			       escalation_level, created_by, created_at, closed_at, version
			from task
			""";

	static TaskRecord map(ResultSet rs) throws SQLException {
		return new TaskRecord(rs.getLong("id"), rs.getString("type"), rs.getLong("node_id"), rs.getString("path"),
				rs.getString("subject_kind"), rs.getLong("subject_id"), rs.getString("state"),
				Urgency.valueOf(rs.getString("urgency")), rs.getObject("assignee_id", Long.class),
				rs.getTimestamp("due_at").toInstant(), rs.getInt("escalation_level"),
				rs.getObject("created_by", Long.class), rs.getTimestamp("created_at").toInstant(),
				rs.getTimestamp("closed_at") == null ? null : rs.getTimestamp("closed_at").toInstant(),
				rs.getInt("version"));
	}

	TaskType type(String code) {
		TaskType type = this.types.get(code);
		if (type == null) {
			throw new IllegalStateException("no task type " + code);
		}
		return type;
	}

	/** Opens a task in its type's first state, due by the type's rule for its urgency. */
	@Transactional
	public TaskRecord create(Actor actor, NewTask task) {
		TaskType type = type(task.type());
		Instant now = this.clock.instant();
		Instant due = now.plus(type.deadline(task.urgency()));
		long id = this.jdbc.sql("""
				insert into task (type, node_id, path, subject_kind, subject_id, state, urgency, due_at, created_by,
				                  created_at, updated_at)
				values (:type, :node, :path, :subjectKind, :subject, :state, :urgency, :due, :by, :now, :now)
				returning id""")
			.param("type", type.code())
			.param("node", task.nodeId())
			.param("path", task.path())
			.param("subjectKind", task.subjectKind())
			.param("subject", task.subjectId())
			.param("state", type.initialState())
			.param("urgency", task.urgency().name())
			.param("due", Timestamp.from(due))
			.param("by", actor.accountId())
			.param("now", Timestamp.from(now))
			.query(Long.class)
			.single();
		step(id, now, actor, "CREATED", null, type.initialState(), null);
		return find(id);
	}

	/**
	 * Open tasks of a type in these states that someone holds (the hand-over's probe).
	 */
	List<TaskRecord> held(String type, List<String> states) {
		return this.jdbc.sql(SELECT + "where open and type = :type and state in (:states) and assignee_id is not null")
			.param("type", type)
			.param("states", states)
			.query((rs, n) -> map(rs))
			.list();
	}

	/** When a task last changed (moved, reassigned). */
	Instant updatedAt(long id) {
		return this.jdbc.sql("select updated_at from task where id = :id")
			.param("id", id)
			.query(Timestamp.class)
			.single()
			.toInstant();
	}

	/** Open tasks held by each of these accounts. */
	Map<Long, Integer> load(List<Long> accounts) {
		Map<Long, Integer> load = new java.util.HashMap<>();
		if (!accounts.isEmpty()) {
			this.jdbc.sql("select assignee_id, count(*) as n from task where open and assignee_id in (:a) group by 1")
				.param("a", accounts)
				.query((rs, n) -> load.put(rs.getLong("assignee_id"), rs.getInt("n")))
				.list();
		}
		return load;
	}

	TaskRecord find(long id) {
		return this.jdbc.sql(SELECT + "where id = :id")
			.param("id", id)
			.query((rs, n) -> map(rs))
			.optional()
			.orElseThrow(() -> new NotFound("task.notFound"));
	}

	/** A task of the caller's subtree; one outside it does not exist for them (404). */
	public TaskRecord get(CurrentUser user, String type, long id) {
		return this.jdbc.sql(SELECT + "where id = :id and type = :type and path like :scope")
			.param("id", id)
			.param("type", type)
			.param("scope", user.scopePattern())
			.query((rs, n) -> map(rs))
			.optional()
			.orElseThrow(() -> new NotFound("task.notFound"));
	}

	/**
	 * A task found by the caller through a public link (the resident's own): unscoped.
	 */
	TaskRecord getForLink(String type, long id) {
		TaskRecord task = find(id);
		if (!task.type().equals(type)) {
			throw new NotFound("task.notFound");
		}
		return task;
	}

	/**
	 * Moves a task to {@code to}. The type decides whether that follows its state; the
	 * update then holds only if nobody moved it meanwhile ({@code where state = :from and
	 * version = :version}), so of two people acting at once one wins and the other gets
	 * {@link TransitionNotAllowed} with nothing changed.
	 */
	@Transactional
	public TaskRecord move(Actor actor, TaskRecord task, String to, Long assignee, String note) {
		Instant now = this.clock.instant();
		TaskRecord moved = task.moveTo(type(task.type()), to, assignee, now);
		int updated = this.jdbc.sql("""
				update task set state = :to, assignee_id = :assignee, open = :open, closed_at = :closedAt,
				       updated_at = :now, version = version + 1
				where id = :id and state = :from and version = :version""")
			.param("to", moved.state())
			.param("assignee", moved.assigneeId())
			.param("open", moved.closedAt() == null)
			.param("closedAt", moved.closedAt() == null ? null : Timestamp.from(moved.closedAt()))
			.param("now", Timestamp.from(now))
			.param("id", task.id())
			.param("from", task.state())
			.param("version", task.version())
			.update();
		if (updated == 0) {
			throw new TransitionNotAllowed(find(task.id()).state(), to);
		}
		step(task.id(), now, actor, "TRANSITION", task.state(), to, note);
		this.events.publishEvent(new AuditEvent(actor.name(), actor.accountId(), "TASK_" + to, "task",
				String.valueOf(task.id()), task.type() + " " + task.state() + " → " + to));
		return moved;
	}

	/** Hands an open task to someone else (the next shift), in the same state. */
	@Transactional
	public void reassign(Actor actor, TaskRecord task, long assignee, String note) {
		Instant now = this.clock.instant();
		int updated = this.jdbc.sql("""
				update task set assignee_id = :assignee, updated_at = :now, version = version + 1
				where id = :id and open and version = :version""")
			.param("assignee", assignee)
			.param("now", Timestamp.from(now))
			.param("id", task.id())
			.param("version", task.version())
			.update();
		if (updated == 0) {
			throw new TransitionNotAllowed(find(task.id()).state(), task.state());
		}
		step(task.id(), now, actor, "REASSIGNED", task.state(), task.state(), note);
		this.events.publishEvent(new AuditEvent(actor.name(), actor.accountId(), "TASK_REASSIGNED", "task",
				String.valueOf(task.id()), "to account " + assignee));
	}

	/**
	 * Puts an open task back in the queue (its type's first state, nobody holding it):
	 * not a move of the type's table (nobody may step back by hand) but the engine's own
	 * hand-over when whoever held it went off duty and nobody else is there. Conditional
	 * on the version, as every move.
	 */
	@Transactional
	public TaskRecord returnToQueue(Actor actor, TaskRecord task, String note) {
		Instant now = this.clock.instant();
		String initial = type(task.type()).initialState();
		int updated = this.jdbc.sql("""
				update task set state = :initial, assignee_id = null, updated_at = :now, version = version + 1
				where id = :id and open and version = :version""")
			.param("initial", initial)
			.param("now", Timestamp.from(now))
			.param("id", task.id())
			.param("version", task.version())
			.update();
		if (updated == 0) {
			throw new TransitionNotAllowed(find(task.id()).state(), initial);
		}
		step(task.id(), now, actor, "REASSIGNED", task.state(), initial, note);
		this.events.publishEvent(new AuditEvent(actor.name(), actor.accountId(), "TASK_RETURNED", "task",
				String.valueOf(task.id()), task.state() + " → " + initial));
		return find(task.id());
	}

	/**
	 * Sets a new deadline (a dispatch's, a reopened rectification's): escalation starts
	 * over from it.
	 */
	void setDue(long id, Instant due) {
		this.jdbc.sql("""
				update task set due_at = :due, escalation_level = 0, escalated_at = null where id = :id""")
			.param("due", Timestamp.from(due))
			.param("id", id)
			.update();
	}

	void step(long taskId, Instant at, Actor actor, String kind, String from, String to, String note) {
		this.jdbc.sql("""
				insert into task_event (task_id, at, actor_id, actor, kind, from_state, to_state, note)
				values (:task, :at, :actorId, :actor, :kind, :from, :to, :note)""")
			.param("task", taskId)
			.param("at", Timestamp.from(at))
			.param("actorId", actor.accountId())
			.param("actor", actor.name())
			.param("kind", kind)
			.param("from", from)
			.param("to", to)
			.param("note", note)
			.update();
	}

	public List<Step> history(TaskRecord task) {
		return this.jdbc.sql("""
				select at, actor, kind, from_state, to_state, note from task_event where task_id = :task order by id""")
			.param("task", task.id())
			.query((rs, n) -> new Step(rs.getTimestamp("at").toInstant(), rs.getString("actor"), rs.getString("kind"),
					rs.getString("from_state"), rs.getString("to_state"), rs.getString("note")))
			.list();
	}

	/**
	 * Escalates every open task past its deadline (督办): to the team leader (level 1) when
	 * the deadline passes, to the street (level 2) when a second window as long as the
	 * first has passed too. Each level once; returns how many were raised.
	 */
	@Transactional
	public int escalateDue(Instant now) {
		List<TaskEscalated> raised = this.jdbc.sql("""
				update task set escalation_level = case
				           when due_at + (due_at - created_at) < :now then 2 else 1 end,
				       escalated_at = :now, updated_at = :now
				where open and due_at < :now
				  and escalation_level < case when due_at + (due_at - created_at) < :now then 2 else 1 end
				returning id, type, path, escalation_level""")
			.param("now", Timestamp.from(now))
			.query((rs, n) -> new TaskEscalated(rs.getLong("id"), rs.getString("type"), rs.getString("path"),
					rs.getInt("escalation_level")))
			.list();
		Actor system = new Actor(null, "system");
		for (TaskEscalated escalated : raised) {
			step(escalated.taskId(), now, system, "ESCALATED", null, null,
					escalated.level() == 1 ? "LEADER" : "STREET");
			this.events.publishEvent(escalated);
			this.events.publishEvent(new AuditEvent("system", null, "TASK_ESCALATED", "task",
					String.valueOf(escalated.taskId()), "level " + escalated.level()));
		}
		return raised.size();
	}

}
