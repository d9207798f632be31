package org.fangxian.workforce.internal;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.fangxian.audit.AuditEvent;
import org.fangxian.notification.Outbox;
import org.fangxian.registry.DivisionTree;
import org.fangxian.registry.Node;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.NotFound;
import org.fangxian.shared.PhoneNumber;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Changes to a published roster (调班): a manual edit of one seat, a swap between two
 * people, and leave (病假, 事假) with a replacement proposed for each shift it empties. Every
 * change touches only the seats it names; the rest of the roster stays as it was. Each is
 * re-checked with {@link HardRules} against the whole roster before it is written (a
 * change that would break a hard rule is refused, naming the rule), and the people whose
 * shifts changed are texted through the outbox.
 */
@Service
public class RosterEdits {

	static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

	private final JdbcClient jdbc;

	private final Volunteers volunteers;

	private final Teams teams;

	private final Posts posts;

	private final DivisionTree tree;

	private final Outbox outbox;

	private final DutyLinks links;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	RosterEdits(JdbcClient jdbc, Volunteers volunteers, Teams teams, Posts posts, DivisionTree tree, Outbox outbox,
			DutyLinks links, ApplicationEventPublisher events, Clock clock) {
		this.jdbc = jdbc;
		this.volunteers = volunteers;
		this.teams = teams;
		this.posts = posts;
		this.tree = tree;
		this.outbox = outbox;
		this.links = links;
		this.events = events;
		this.clock = clock;
	}

	public record Edit(Long assignmentId, Long volunteerId) {
	}

	public record Swap(Long first, Long second) {
	}

	/**
	 * Leave for a person over days of the roster. {@code picks} (seat → person) replaces
	 * a proposal with another of the seat's alternatives; a pick that breaks a hard rule
	 * is refused like an edit.
	 */
	public record NewLeave(Long volunteerId, String from, String to, String kind, Boolean apply,
			Map<Long, Long> picks) {

		public NewLeave(Long volunteerId, String from, String to, String kind, Boolean apply) {
			this(volunteerId, from, to, kind, apply, null);
		}

	}

	/** One seat after a change: who holds it now (null: empty). */
	public record Changed(long assignmentId, long postId, String date, String start, String end, Long volunteerId,
			String name, String reason) {
	}

	/** Someone else who may take an emptied seat, least loaded first. */
	public record Alternative(long assignmentId, long volunteerId, String name) {
	}

	public record Leave(Long leaveId, boolean applied, List<Changed> proposals, List<Alternative> alternatives) {
	}

	/** How many alternatives a proposal offers per seat. */
	static final int ALTERNATIVES = 5;

	/** A change that would break a hard rule: refused (409) with the rule. */
	public static class Refused extends RuntimeException {

		private final HardRules.Rule rule;

		private final String person;

		Refused(HardRules.Rule rule, String person) {
			super(rule + " for " + person);
			this.rule = rule;
			this.person = person;
		}

		public HardRules.Rule rule() {
			return this.rule;
		}

		public String person() {
			return this.person;
		}

	}

	/** A roster's seats as the rules see them, keyed by assignment id. */
	private record Context(long rosterId, String path, Node node, LocalDate from, Map<Long, DutyPerson> people,
			Map<Long, String> names, Map<Long, DutySeat> seats, Map<Long, Long> posts, Map<Long, String> postNames,
			Map<Long, LocalDateTime> startsAt, Map<Long, Boolean> started) {

		List<DutySeat> ordered() {
			List<DutySeat> ordered = new ArrayList<>(this.seats.values());
			ordered.sort(Comparator.comparingLong(DutySeat::getStart).thenComparingLong(DutySeat::getId));
			return ordered;
		}

	}

	/**
	 * Loads the roster under its row lock: two edits of one roster run one after the
	 * other.
	 */
	private Context load(CurrentUser user, long rosterId) {
		user.require(Permission.MANAGE_WORKFORCE);
		Map<String, Object> roster = this.jdbc.sql("""
				select node_id, path, state, from_date, superseded_by from duty_roster where id = :id for update""")
			.param("id", rosterId)
			.query()
			.listOfRows()
			.stream()
			.findFirst()
			.orElseThrow(() -> new NotFound("workforce.roster.notFound"));
		String path = (String) roster.get("path");
		user.requireCovers(path);
		if (!"DONE".equals(roster.get("state")) || roster.get("superseded_by") != null) {
			throw new InvalidInput("id", "workforce.edit.notInForce");
		}
		Node node = this.tree.node(user, ((Number) roster.get("node_id")).longValue());
		LocalDate from = ((java.sql.Date) roster.get("from_date")).toLocalDate();
		List<Volunteers.Volunteer> enrolled = this.volunteers.serving(user, node);
		Map<Long, Long> teamOf = this.teams.teamOf(enrolled.stream().map(Volunteers.Volunteer::id).toList());
		Map<Long, DutyPerson> people = new LinkedHashMap<>();
		Map<Long, String> names = new HashMap<>();
		for (Volunteers.Volunteer v : enrolled) {
			people.put(v.id(), new DutyPerson(v.id(), Set.copyOf(v.skills()), v.maxShiftsPerWeek(), v.availableDays(),
					teamOf.get(v.id()), v.availableFrom(), v.availableTo(), v.preference()));
			names.put(v.id(), v.name());
		}
		Map<Long, DutyShape> shapes = new HashMap<>();
		Map<Long, String> postNames = new HashMap<>();
		for (Posts.Post post : this.posts.within(node)) {
			postNames.put(post.id(), post.name());
			for (Posts.Shift shift : post.shifts()) {
				shapes.put(shift.id(), new DutyShape(shift.id(), post.id(), post.teamId(), shift.starts(), shift.ends(),
						shift.headcount(), Set.copyOf(shift.skills()), post.kind()));
			}
		}
		Map<Long, DutySeat> seats = new LinkedHashMap<>();
		Map<Long, Long> postOf = new HashMap<>();
		Map<Long, LocalDateTime> startsAt = new HashMap<>();
		Map<Long, Boolean> started = new HashMap<>();
		LocalDateTime now = LocalDateTime.now(this.clock);
		this.jdbc.sql("""
				select id, shift_id, post_id, day, starts_at, volunteer_id, checked_in_at is not null as checked_in
				from duty_assignment where roster_id = :roster""").param("roster", rosterId).query((rs, n) -> {
			long id = rs.getLong("id");
			DutyShape shape = shapes.get(rs.getLong("shift_id"));
			if (shape == null) {
				return null;
			}
			DutySeat seat = new DutySeat(id, shape, rs.getObject("day", LocalDate.class), from, List.of());
			long volunteer = rs.getLong("volunteer_id");
			// Someone no longer serving keeps their seat for the rules, with no skills.
			seat.setPerson(people.getOrDefault(volunteer,
					new DutyPerson(volunteer, Set.of(), 21, DutyPerson.EVERY_DAY, null)));
			seats.put(id, seat);
			postOf.put(id, rs.getLong("post_id"));
			LocalDateTime starts = rs.getObject("starts_at", LocalDateTime.class);
			startsAt.put(id, starts);
			started.put(id, rs.getBoolean("checked_in") || !starts.isAfter(now));
			return null;
		}).list();
		return new Context(rosterId, path, node, from, people, names, seats, postOf, postNames, startsAt, started);
	}

	/**
	 * Places every seat of the roster; the seats of the people named are checked first,
	 * and the first rule one of them breaks refuses the change.
	 */
	private static void verify(Context context, Set<Long> affected) {
		HardRules rules = new HardRules();
		for (DutySeat seat : context.ordered()) {
			DutyPerson person = seat.getPerson();
			if (person == null) {
				continue;
			}
			if (affected.contains(person.id())) {
				HardRules.Rule broken = rules.check(person, seat);
				if (broken != null) {
					throw new Refused(broken, context.names().getOrDefault(person.id(), String.valueOf(person.id())));
				}
			}
			rules.place(person, seat);
		}
	}

	private DutySeat seat(Context context, Long assignmentId, String field) {
		DutySeat seat = assignmentId == null ? null : context.seats().get(assignmentId);
		if (seat == null) {
			throw new InvalidInput(field, "workforce.assignment.notFound");
		}
		if (context.started().get(assignmentId)) {
			throw new InvalidInput(field, "workforce.edit.started");
		}
		return seat;
	}

	/** Gives one seat to another person (a manual edit of the roster). */
	@Transactional
	public Changed edit(CurrentUser user, long rosterId, Edit body) {
		Context context = load(user, rosterId);
		if (body == null) {
			throw new InvalidInput("assignmentId", "workforce.assignment.notFound");
		}
		DutySeat seat = seat(context, body.assignmentId(), "assignmentId");
		DutyPerson person = body.volunteerId() == null ? null : context.people().get(body.volunteerId());
		if (person == null) {
			throw new InvalidInput("volunteerId", "workforce.volunteer.notFound");
		}
		long before = seat.getPerson().id();
		if (before == person.id()) {
			return changed(context, body.assignmentId());
		}
		seat.setPerson(person);
		verify(context, Set.of(person.id()));
		move(context, body.assignmentId(), person.id());
		long change = record(context, user, "EDIT", body.assignmentId(), before, person.id(), null);
		text(context, change, body.assignmentId(), before);
		text(context, change, body.assignmentId(), person.id());
		return changed(context, body.assignmentId());
	}

	/** Two people exchange their seats. */
	@Transactional
	public List<Changed> swap(CurrentUser user, long rosterId, Swap body) {
		Context context = load(user, rosterId);
		if (body == null) {
			throw new InvalidInput("first", "workforce.assignment.notFound");
		}
		DutySeat first = seat(context, body.first(), "first");
		DutySeat second = seat(context, body.second(), "second");
		DutyPerson a = first.getPerson();
		DutyPerson b = second.getPerson();
		if (a.id() == b.id()) {
			throw new InvalidInput("second", "workforce.swap.samePerson");
		}
		// Each takes the other's seat, so each must be someone the caller may put on
		// duty, as in an edit; someone outside their jurisdiction (or no longer serving)
		// keeps their seat and is moved by nobody else.
		if (!context.people().containsKey(a.id())) {
			throw new InvalidInput("first", "workforce.volunteer.notFound");
		}
		if (!context.people().containsKey(b.id())) {
			throw new InvalidInput("second", "workforce.volunteer.notFound");
		}
		first.setPerson(b);
		second.setPerson(a);
		verify(context, Set.of(a.id(), b.id()));
		move(context, body.first(), b.id());
		move(context, body.second(), a.id());
		long change = record(context, user, "SWAP", body.first(), a.id(), b.id(), body.second());
		text(context, change, body.second(), a.id());
		text(context, change, body.first(), b.id());
		return List.of(changed(context, body.first()), changed(context, body.second()));
	}

	/**
	 * Leave (请假): the person's seats in the period are emptied and each offered to the
	 * least loaded person who may take it under every hard rule, given the rest of the
	 * roster as it is. Without {@code apply} it only proposes; with it the proposals are
	 * written, a seat nobody may take is left empty with its reason.
	 */
	@Transactional
	public Leave leave(CurrentUser user, long rosterId, NewLeave body) {
		Context context = load(user, rosterId);
		if (body == null || body.volunteerId() == null || !context.names().containsKey(body.volunteerId())) {
			throw new InvalidInput("volunteerId", "workforce.volunteer.notFound");
		}
		String kind = body.kind() == null ? "" : body.kind().strip().toUpperCase(java.util.Locale.ROOT);
		if (!Set.of("SICK", "FAMILY", "OTHER").contains(kind)) {
			throw new InvalidInput("kind", "workforce.leave.kind");
		}
		LocalDate from = date(body.from(), "from");
		LocalDate to = date(body.to(), "to");
		if (to.isBefore(from)) {
			throw new InvalidInput("to", "workforce.roster.order");
		}
		long absent = body.volunteerId();
		List<DutySeat> emptied = new ArrayList<>();
		for (DutySeat seat : context.ordered()) {
			if (seat.getPerson() != null && seat.getPerson().id() == absent && !seat.getDay().isBefore(from)
					&& !seat.getDay().isAfter(to) && !context.started().get(seat.getId())) {
				seat.setPerson(null);
				emptied.add(seat);
			}
		}
		HardRules rules = new HardRules();
		for (DutySeat seat : context.ordered()) {
			if (seat.getPerson() != null) {
				rules.place(seat.getPerson(), seat);
			}
		}
		List<DutyPerson> others = context.people().values().stream().filter(p -> p.id() != absent).toList();
		Map<Long, String> reasons = new HashMap<>();
		Map<Long, Long> picks = body.picks() == null ? Map.of() : body.picks();
		List<Alternative> alternatives = new ArrayList<>();
		for (DutySeat seat : emptied) {
			List<DutyPerson> eligible = new ArrayList<>();
			for (DutyPerson person : others) {
				if (rules.check(person, seat) == null) {
					eligible.add(person);
				}
			}
			eligible.sort(
					Comparator.comparingInt(rules::load).thenComparing(p -> context.names().getOrDefault(p.id(), "")));
			eligible.stream()
				.limit(ALTERNATIVES)
				.forEach(p -> alternatives.add(new Alternative(seat.getId(), p.id(), context.names().get(p.id()))));
			DutyPerson best = eligible.isEmpty() ? null : eligible.get(0);
			Long picked = picks.get(seat.getId());
			if (picked != null) {
				DutyPerson person = context.people().get(picked);
				if (person == null || picked == absent) {
					throw new InvalidInput("picks", "workforce.volunteer.notFound");
				}
				HardRules.Rule broken = rules.check(person, seat);
				if (broken != null) {
					throw new Refused(broken, context.names().getOrDefault(picked, String.valueOf(picked)));
				}
				best = person;
			}
			if (best != null) {
				rules.place(best, seat);
			}
			else {
				reasons.put(seat.getId(), rules.explain(others, seat).reason().name());
			}
		}
		// The checker again, over the whole roster, for the people the proposal moves.
		Set<Long> movedIn = new LinkedHashSet<>();
		emptied.stream().filter(s -> s.getPerson() != null).forEach(s -> movedIn.add(s.getPerson().id()));
		verify(context, movedIn);
		Long leaveId = null;
		boolean apply = Boolean.TRUE.equals(body.apply());
		if (apply) {
			leaveId = this.jdbc.sql("""
					insert into duty_leave (roster_id, volunteer_id, kind, from_date, to_date, created_by)
					values (:roster, :volunteer, :kind, :from, :to, :by) returning id""")
				.param("roster", rosterId)
				.param("volunteer", absent)
				.param("kind", kind)
				.param("from", from)
				.param("to", to)
				.param("by", user.accountId())
				.query(Long.class)
				.single();
			for (DutySeat seat : emptied) {
				long change;
				if (seat.getPerson() != null) {
					move(context, seat.getId(), seat.getPerson().id());
					change = record(context, user, "LEAVE", seat.getId(), absent, seat.getPerson().id(), null);
					text(context, change, seat.getId(), seat.getPerson().id());
				}
				else {
					change = record(context, user, "LEAVE", seat.getId(), absent, null, null);
					vacate(context, seat, reasons.get(seat.getId()));
				}
				text(context, change, seat.getId(), absent);
			}
		}
		List<Changed> proposals = new ArrayList<>();
		for (DutySeat seat : emptied) {
			Long who = seat.getPerson() == null ? null : seat.getPerson().id();
			LocalDateTime starts = context.startsAt().get(seat.getId());
			proposals.add(new Changed(seat.getId(), context.posts().get(seat.getId()), seat.getDay().toString(),
					starts.format(HH_MM), starts.plusMinutes(seat.getEnd() - seat.getStart()).format(HH_MM), who,
					who == null ? null : context.names().get(who), reasons.get(seat.getId())));
		}
		return new Leave(leaveId, apply, proposals, alternatives);
	}

	private static LocalDate date(String text, String field) {
		try {
			return LocalDate.parse(text == null ? "" : text.strip());
		}
		catch (DateTimeParseException ex) {
			throw new InvalidInput(field, "workforce.roster.date");
		}
	}

	private void move(Context context, long assignmentId, long volunteerId) {
		this.jdbc.sql("update duty_assignment set volunteer_id = :v, late_flagged_at = null where id = :id")
			.param("v", volunteerId)
			.param("id", assignmentId)
			.update();
	}

	/** A seat nobody may take: removed, and counted as unfilled with its reason. */
	private void vacate(Context context, DutySeat seat, String reason) {
		Map<String, Object> row = this.jdbc
			.sql("""
					delete from duty_assignment where id = :id returning roster_id, shift_id, post_id, day, starts_at, ends_at""")
			.param("id", seat.getId())
			.query()
			.singleRow();
		this.jdbc
			.sql("""
					insert into duty_unfilled (roster_id, shift_id, post_id, day, starts_at, ends_at, missing, reason, detail)
					values (:roster, :shift, :post, :day, :starts, :ends, 1, :reason, :reason)
					on conflict (roster_id, shift_id, day) do update set missing = duty_unfilled.missing + 1""")
			.param("roster", row.get("roster_id"))
			.param("shift", row.get("shift_id"))
			.param("post", row.get("post_id"))
			.param("day", row.get("day"))
			.param("starts", row.get("starts_at"))
			.param("ends", row.get("ends_at"))
			.param("reason", reason == null ? "NO_PEOPLE" : reason)
			.update();
	}

	private long record(Context context, CurrentUser user, String kind, long assignmentId, Long before, Long after,
			Long other) {
		long id = this.jdbc.sql("""
				insert into duty_roster_change (roster_id, kind, assignment_id, other_assignment_id, volunteer_before,
				                                volunteer_after, changed_by)
				values (:roster, :kind, :assignment, :other, :before, :after, :by) returning id""")
			.param("roster", context.rosterId())
			.param("kind", kind)
			.param("assignment", assignmentId)
			.param("other", other)
			.param("before", before)
			.param("after", after)
			.param("by", user.accountId())
			.query(Long.class)
			.single();
		this.events.publishEvent(AuditEvent.of(user, "DUTY_ROSTER_CHANGED", "duty_roster", context.rosterId(),
				kind + " assignment " + assignmentId + (other == null ? "" : " with " + other)));
		return id;
	}

	/**
	 * Tells a person their shifts changed: the seat's day, time and post, and their link.
	 */
	private void text(Context context, long change, long assignmentId, long volunteerId) {
		DutySeat seat = context.seats().get(assignmentId);
		LocalDateTime starts = context.startsAt().get(assignmentId);
		this.volunteers.phone(volunteerId)
			.flatMap(PhoneNumber::parse)
			.ifPresent(phone -> this.outbox.queue(new Outbox.Sms(
					"workforce:change:" + change + ":volunteer:" + volunteerId, phone, "sms.workforce.changed",
					List.of(seat.getDay().toString(), starts.format(HH_MM),
							context.postNames().getOrDefault(context.posts().get(assignmentId), ""),
							this.links.url(volunteerId)),
					context.path())));
	}

	private Changed changed(Context context, long assignmentId) {
		return this.jdbc.sql("""
				select id, post_id, day, starts_at, ends_at, volunteer_id from duty_assignment where id = :id""")
			.param("id", assignmentId)
			.query((rs, n) -> {
				long volunteer = rs.getLong("volunteer_id");
				return new Changed(rs.getLong("id"), rs.getLong("post_id"),
						rs.getObject("day", LocalDate.class).toString(),
						rs.getObject("starts_at", LocalDateTime.class).format(HH_MM),
						rs.getObject("ends_at", LocalDateTime.class).format(HH_MM), volunteer,
						context.names().get(volunteer), null);
			})
			.single();
	}

}
