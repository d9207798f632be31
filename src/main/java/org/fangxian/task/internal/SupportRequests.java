package org.fangxian.task.internal;

import java.math.BigDecimal;
import java.sql.Array;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.fangxian.audit.AuditEvent;
import org.fangxian.quarantine.Quarantines;
import org.fangxian.seal.Seals;
import org.fangxian.registry.ResidentDirectory;
import org.fangxian.registry.ResidentDirectory.ResidentSnapshot;
import org.fangxian.security.AccountService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.security.PersonalDataProtection;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.NotFound;
import org.fangxian.shared.PersonNames;
import org.fangxian.task.TransitionNotAllowed;
import org.fangxian.task.internal.SupportUrgency.Assessment;
import org.fangxian.task.internal.SupportUrgency.Kind;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Supply requests (生活保障): a resident (through their own link) or a worker on their behalf
 * asks for medicine, groceries, infant needs, gas, a medical visit; the request's urgency
 * comes from who asks and what for; volunteers take it, buy, deliver (with a photo or a
 * signature note and the money received) or report failure.
 */
@Service
public class SupportRequests implements org.fangxian.shared.ResidentSupportLink {

	private final JdbcClient jdbc;

	private final TaskBook tasks;

	private final ResidentDirectory directory;

	private final Quarantines quarantines;

	private final Seals seals;

	private final AccountService accounts;

	private final Attachments attachments;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final PersonalDataProtection protection;

	static final String LINK_PURPOSE = "support-requests";

	SupportRequests(JdbcClient jdbc, TaskBook tasks, ResidentDirectory directory, Quarantines quarantines, Seals seals,
			AccountService accounts, Attachments attachments, ApplicationEventPublisher events, Clock clock,
			PersonalDataProtection protection) {
		this.protection = protection;
		this.jdbc = jdbc;
		this.tasks = tasks;
		this.directory = directory;
		this.quarantines = quarantines;
		this.seals = seals;
		this.accounts = accounts;
		this.attachments = attachments;
		this.events = events;
		this.clock = clock;
	}

	public record NewRequest(Long residentId, String kind, String detail) {
	}

	public record Transition(String to, String note, Long assigneeId, BigDecimal moneyReceived) {
	}

	/**
	 * A request as a worker or volunteer sees it: the person's name masked, and the door
	 * to bring it to (the household's address), without which a delivery cannot be made.
	 */
	public record Request(long id, long residentId, String person, String address, String kind, String detail,
			String urgency, List<String> reasons, String state, Instant dueAt, boolean overdue, int escalationLevel,
			Long assigneeId, String assignee, BigDecimal moneyReceived, String outcomeNote, Instant createdAt,
			int photos) {
	}

	/**
	 * The resident's own no-login link to their requests ({@code /s/<id>.<signature>}),
	 * given to them when a worker files on their behalf.
	 */
	public String residentLink(long residentId) {
		return "/s/" + this.protection.signedId(LINK_PURPOSE, residentId);
	}

	@Override
	public String forResident(long residentId) {
		return residentLink(residentId);
	}

	/** The resident a link names, if its signature holds. */
	public java.util.Optional<Long> residentOf(String token) {
		return this.protection.verifySignedId(LINK_PURPOSE, token);
	}

	/**
	 * Whom a worker is about to file for, as the form confirms it: the masked name and
	 * the household's address.
	 */
	public record OnBehalf(long residentId, String person, String address) {
	}

	/**
	 * The resident a request would be filed for; empty outside the caller's jurisdiction.
	 */
	public Optional<OnBehalf> onBehalfOf(CurrentUser user, long residentId) {
		user.require(Permission.HANDLE_TASKS);
		return this.directory.listings(List.of(residentId))
			.stream()
			.filter(l -> user.covers(l.path()))
			.findFirst()
			.map(l -> new OnBehalf(l.id(), PersonNames.mask(l.name()), l.address()));
	}

	/** A worker files a request on a resident's behalf. */
	@Transactional
	public TaskRecord file(CurrentUser user, NewRequest form) {
		user.require(Permission.HANDLE_TASKS);
		if (form.residentId() == null) {
			throw new InvalidInput("residentId", "task.field.required");
		}
		ResidentSnapshot person = this.directory.byId(form.residentId())
			.filter(p -> user.covers(p.path()))
			.orElseThrow(() -> new NotFound("task.support.unknownResident"));
		TaskRecord task = open(TaskBook.Actor.of(user), person, form, "WORKER");
		this.events.publishEvent(AuditEvent.of(user, "SUPPORT_REQUESTED", "task", task.id(), form.kind()));
		return task;
	}

	/**
	 * The resident asks through their own no-login link (quarantine check-in, family
	 * link).
	 */
	@Transactional
	public TaskRecord fileByResident(long residentId, String kind, String detail) {
		ResidentSnapshot person = this.directory.byId(residentId).orElseThrow(() -> new NotFound("task.notFound"));
		TaskRecord task = open(new TaskBook.Actor(null, "resident"), person, new NewRequest(residentId, kind, detail),
				"RESIDENT");
		this.events.publishEvent(new AuditEvent("resident", null, "SUPPORT_REQUESTED", "task",
				String.valueOf(task.id()), "by the resident, " + kind));
		return task;
	}

	private TaskRecord open(TaskBook.Actor actor, ResidentSnapshot person, NewRequest form, String filedBy) {
		Kind kind = parseKind(form.kind());
		String detail = form.detail() == null ? "" : form.detail().strip();
		if (detail.isEmpty()) {
			throw new InvalidInput("detail", "task.field.required");
		}
		if (detail.length() > 500) {
			throw new InvalidInput("detail", "task.field.tooLong", 500);
		}
		Instant now = this.clock.instant();
		String confinement = this.quarantines.openFor(person.id(), now).isPresent() ? "QUARANTINED"
				: this.seals.levelAt(person.path(), now).filter(l -> l == Seals.Level.SEALED).isPresent() ? "SEALED"
						: null;
		Assessment assessment = SupportUrgency.assess(kind, confinement, this.directory.tags(person.id()));
		TaskRecord task = this.tasks.create(actor, new TaskBook.NewTask(SupportState.Type.CODE, person.nodeId(),
				person.path(), "RESIDENT", person.id(), assessment.urgency()));
		this.jdbc.sql("""
				insert into support_request (task_id, resident_id, kind, detail, filed_by, reasons)
				values (:task, :resident, :kind, :detail, :filedBy, :reasons)""")
			.param("task", task.id())
			.param("resident", person.id())
			.param("kind", kind.name())
			.param("detail", detail)
			.param("filedBy", filedBy)
			.param("reasons", assessment.reasons().toArray(String[]::new))
			.update();
		return task;
	}

	static Kind parseKind(String raw) {
		if (raw == null || raw.isBlank()) {
			throw new InvalidInput("kind", "task.field.required");
		}
		try {
			return Kind.valueOf(raw.strip().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidInput("kind", "task.support.kind.invalid", raw);
		}
	}

	/**
	 * Moves a request along: taking it (to ASSIGNED, the caller unless another assignee
	 * is named), bought, delivered (a photo or a signature note), failed (a reason),
	 * cancelled (only by who filed it). A skipped or backward step is 409.
	 */
	@Transactional
	public TaskRecord transition(CurrentUser user, long id, Transition form) {
		user.require(Permission.HANDLE_TASKS);
		TaskRecord task = this.tasks.get(user, SupportState.Type.CODE, id);
		SupportState to = SupportState.parse(form.to());
		if (to == null) {
			throw new InvalidInput("to", "task.support.state.invalid", String.valueOf(form.to()));
		}
		String note = note(form.note());
		SupportState from = SupportState.valueOf(task.state());
		if (!from.allows(to)) {
			throw new TransitionNotAllowed(from.name(), to.name());
		}
		Long assignee = null;
		if (to == SupportState.ASSIGNED) {
			long named = form.assigneeId() == null ? user.accountId() : form.assigneeId();
			if (named != user.accountId()) {
				// taking a request for oneself is any handler's; naming another is a
				// supervisor's
				user.require(Permission.SUPERVISE_TASKS);
			}
			assignee = assignee(user, task, named);
		}
		else if (to == SupportState.BOUGHT || to == SupportState.DELIVERED || to == SupportState.FAILED) {
			requireHeldOrSupervised(user, task);
		}
		switch (to) {
			case DELIVERED -> {
				if (note == null && this.attachments.count(id) == 0) {
					throw new InvalidInput("note", "task.support.proofRequired");
				}
			}
			case FAILED -> {
				if (note == null) {
					throw new InvalidInput("note", "task.support.reasonRequired");
				}
			}
			case CANCELLED -> {
				if (task.createdBy() == null || task.createdBy() != user.accountId()) {
					throw new AccessDeniedException("only the requester cancels");
				}
			}
			default -> {
			}
		}
		if (form.moneyReceived() != null
				&& (form.moneyReceived().signum() < 0 || form.moneyReceived().compareTo(new BigDecimal("99999")) > 0)) {
			throw new InvalidInput("moneyReceived", "task.support.money.invalid");
		}
		TaskRecord moved = this.tasks.move(TaskBook.Actor.of(user), task, to.name(), assignee, note);
		if (to == SupportState.DELIVERED || to == SupportState.FAILED || form.moneyReceived() != null) {
			this.jdbc.sql("""
					update support_request set money_received = coalesce(:money, money_received),
					       outcome_note = coalesce(:note, outcome_note)
					where task_id = :task""")
				.param("money", form.moneyReceived())
				.param("note", to == SupportState.DELIVERED || to == SupportState.FAILED ? note : null)
				.param("task", id)
				.update();
		}
		return moved;
	}

	/** The resident cancels their own request through their link. */
	@Transactional
	public TaskRecord cancelByResident(long residentId, long id) {
		TaskRecord task = this.tasks.getForLink(SupportState.Type.CODE, id);
		if (task.subjectId() != residentId) {
			throw new NotFound("task.notFound");
		}
		TaskRecord moved = this.tasks.move(new TaskBook.Actor(null, "resident"), task, SupportState.CANCELLED.name(),
				null, null);
		return moved;
	}

	/**
	 * Hands an open request to another volunteer: a supervisor's act (a volunteer's own
	 * requests pass to the next shift by {@link ShiftHandover}, when their duty ends).
	 */
	@Transactional
	public void reassign(CurrentUser user, long id, Long assigneeId, String note) {
		user.require(Permission.HANDLE_TASKS);
		TaskRecord task = this.tasks.get(user, SupportState.Type.CODE, id);
		user.require(Permission.SUPERVISE_TASKS);
		if (assigneeId == null) {
			throw new InvalidInput("assigneeId", "task.field.required");
		}
		this.tasks.reassign(TaskBook.Actor.of(user), task, assignee(user, task, assigneeId), note(note));
	}

	/**
	 * Adds a delivery photo; the request must be the caller's to see, and theirs to
	 * deliver unless they supervise.
	 */
	@Transactional
	public long addPhoto(CurrentUser user, long id, byte[] bytes) {
		user.require(Permission.HANDLE_TASKS);
		TaskRecord task = this.tasks.get(user, SupportState.Type.CODE, id);
		requireHeldOrSupervised(user, task);
		long attachment = this.attachments.add(task.id(), user.accountId(), bytes);
		this.tasks.step(task.id(), this.clock.instant(), TaskBook.Actor.of(user), "ATTACHMENT", task.state(),
				task.state(), null);
		this.events.publishEvent(AuditEvent.of(user, "TASK_ATTACHMENT_ADDED", "task", task.id(), null));
		return attachment;
	}

	/**
	 * A request the caller holds is theirs to move on; one another holds (or nobody yet)
	 * only a supervisor's.
	 */
	private static void requireHeldOrSupervised(CurrentUser user, TaskRecord task) {
		if (!java.util.Objects.equals(task.assigneeId(), user.accountId())) {
			user.require(Permission.SUPERVISE_TASKS);
		}
	}

	/**
	 * An account of the caller's jurisdiction that sees the request (its name shows on
	 * it); one elsewhere is as unknown as one that does not exist.
	 */
	private long assignee(CurrentUser user, TaskRecord task, long accountId) {
		if (this.accounts.scopeWithin(user, accountId).filter(scope -> task.path().startsWith(scope)).isEmpty()) {
			throw new InvalidInput("assigneeId", "task.support.unknownAssignee");
		}
		return accountId;
	}

	private static String note(String raw) {
		if (raw == null || raw.isBlank()) {
			return null;
		}
		String note = raw.strip();
		if (note.length() > 500) {
			throw new InvalidInput("note", "task.field.tooLong", 500);
		}
		return note;
	}

	static final String LIST = """
			select t.id, t.state, t.urgency, t.due_at, t.escalation_level, t.assignee_id, t.created_at, t.closed_at,
			       s.resident_id, s.kind, s.detail, s.reasons, s.money_received, s.outcome_note,
			       (select count(*) from task_attachment a where a.task_id = t.id) as photos
			from task t join support_request s on s.task_id = t.id
			""";

	public Request view(CurrentUser user, long id) {
		user.require(Permission.HANDLE_TASKS);
		TaskRecord task = this.tasks.get(user, SupportState.Type.CODE, id);
		return rows("where t.id = :id", Map.of("id", task.id())).get(0);
	}

	public List<TaskBook.Step> history(CurrentUser user, long id) {
		user.require(Permission.HANDLE_TASKS);
		return this.tasks.history(this.tasks.get(user, SupportState.Type.CODE, id));
	}

	/**
	 * The requests of the caller's subtree, open first, most urgent and earliest due
	 * first; {@code mine}: only those assigned to the caller (a volunteer's delivery
	 * list).
	 */
	public List<Request> list(CurrentUser user, boolean mine, boolean openOnly) {
		user.require(Permission.HANDLE_TASKS);
		String where = "where t.path like :scope" + (mine ? " and t.assignee_id = :me" : "")
				+ (openOnly ? " and t.open" : "")
				+ " order by t.open desc, case t.urgency when 'URGENT' then 0 when 'HIGH' then 1 else 2 end, t.due_at limit 200";
		return rows(where, Map.of("scope", user.scopePattern(), "me", user.accountId()));
	}

	/** The resident's own requests, for their link's page. */
	public List<Request> ofResident(long residentId) {
		return rows("where s.resident_id = :resident order by t.created_at desc limit 20",
				Map.of("resident", residentId));
	}

	private List<Request> rows(String where, Map<String, Object> params) {
		Instant now = this.clock.instant();
		List<Request> requests = this.jdbc.sql(LIST + where).params(params).query((rs, n) -> {
			Array reasons = rs.getArray("reasons");
			Instant due = rs.getTimestamp("due_at").toInstant();
			return new Request(rs.getLong("id"), rs.getLong("resident_id"), null, null, rs.getString("kind"),
					rs.getString("detail"), rs.getString("urgency"), List.of((String[]) reasons.getArray()),
					rs.getString("state"), due, rs.getTimestamp("closed_at") == null && due.isBefore(now),
					rs.getInt("escalation_level"), rs.getObject("assignee_id", Long.class), null,
					rs.getBigDecimal("money_received"), rs.getString("outcome_note"),
					rs.getTimestamp("created_at").toInstant(), rs.getInt("photos"));
		}).list();
		Set<Long> assignees = new java.util.HashSet<>();
		requests.forEach(r -> {
			if (r.assigneeId() != null) {
				assignees.add(r.assigneeId());
			}
		});
		Map<Long, String> names = assignees.isEmpty() ? Map.of() : this.accounts.displayNames(assignees);
		Map<Long, ResidentDirectory.Listing> people = new java.util.HashMap<>();
		this.directory.listings(requests.stream().map(Request::residentId).distinct().toList())
			.forEach(l -> people.put(l.id(), l));
		return requests.stream().map(r -> {
			ResidentDirectory.Listing listing = people.get(r.residentId());
			String person = listing == null ? "" : PersonNames.mask(listing.name());
			String address = listing == null ? "" : listing.address();
			return new Request(r.id(), r.residentId(), person, address, r.kind(), r.detail(), r.urgency(), r.reasons(),
					r.state(), r.dueAt(), r.overdue(), r.escalationLevel(), r.assigneeId(),
					r.assigneeId() == null ? null : names.get(r.assigneeId()), r.moneyReceived(), r.outcomeNote(),
					r.createdAt(), r.photos());
		}).toList();
	}

}
