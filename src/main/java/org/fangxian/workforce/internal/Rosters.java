package org.fangxian.workforce.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rosters (排班表): the seats of every post of a subtree over a period, filled by the solver
 * within a time limit, then settled by {@link HardRules} so that no published roster
 * breaks a hard rule and every empty seat says why. A newer roster of the same place and
 * overlapping days supersedes the older one on people's phones; each person with shifts
 * is texted their link.
 */
@Service
public class Rosters {

	private static final Logger log = LoggerFactory.getLogger(Rosters.class);

	static final int DEFAULT_SECONDS = 30;

	static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

	private final JdbcClient jdbc;

	private final DivisionTree tree;

	private final Volunteers volunteers;

	private final Teams teams;

	private final Posts posts;

	private final RosterSolver solver;

	private final Outbox outbox;

	private final DutyLinks links;

	private final TransactionTemplate transactions;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	Rosters(JdbcClient jdbc, DivisionTree tree, Volunteers volunteers, Teams teams, Posts posts, RosterSolver solver,
			Outbox outbox, DutyLinks links, TransactionTemplate transactions, ApplicationEventPublisher events,
			Clock clock) {
		this.jdbc = jdbc;
		this.tree = tree;
		this.volunteers = volunteers;
		this.teams = teams;
		this.posts = posts;
		this.solver = solver;
		this.outbox = outbox;
		this.links = links;
		this.transactions = transactions;
		this.events = events;
		this.clock = clock;
	}

	public record NewRoster(String code, String from, String to, Integer seconds) {
	}

	public record Created(long id) {
	}

	public record Assignment(long postId, String date, String start, String end, long volunteerId) {
	}

	/**
	 * @param reason the hard rule that kept the most people away
	 * ({@link HardRules.Rule}), detail in words
	 */
	public record Unfilled(long postId, String date, String start, String end, int missing, String reason,
			Map<String, Integer> blocked) {
	}

	public record Roster(long id, String state, String code, String from, String to, String score,
			List<Assignment> assignments, List<Unfilled> unfilled) {
	}

	/** What the solver is given: the people, the seats and where they came from. */
	public record Problem(List<DutyPerson> people, List<DutySeat> seats) {
	}

	public Created create(CurrentUser user, NewRoster body) {
		user.require(Permission.MANAGE_WORKFORCE);
		if (body == null || body.code() == null || body.code().isBlank()) {
			throw new InvalidInput("code", "workforce.codeRequired");
		}
		Node node = this.tree.nodeByCode(user, body.code().strip());
		LocalDate from = date(body.from(), "from");
		LocalDate to = date(body.to(), "to");
		if (to.isBefore(from)) {
			throw new InvalidInput("to", "workforce.roster.order");
		}
		if (from.plusDays(30).isBefore(to)) {
			throw new InvalidInput("to", "workforce.roster.tooLong");
		}
		int seconds = body.seconds() == null ? DEFAULT_SECONDS : body.seconds();
		if (seconds < 1 || seconds > 600) {
			throw new InvalidInput("seconds", "workforce.roster.seconds");
		}
		// The budget runs from here: building the model and the seed come out of it.
		long started = System.nanoTime();
		Problem problem = problem(user, node, from, to);
		long id = this.transactions.execute(status -> {
			long rosterId = this.jdbc.sql("""
					insert into duty_roster (node_id, path, from_date, to_date, seconds, created_by)
					values (:node, :path, :from, :to, :seconds, :by) returning id""")
				.param("node", node.id())
				.param("path", node.path())
				.param("from", from)
				.param("to", to)
				.param("seconds", seconds)
				.param("by", user.accountId())
				.query(Long.class)
				.single();
			this.events.publishEvent(
					AuditEvent.of(user, "ROSTER_REQUESTED", "duty_roster", rosterId, node.code() + " " + from + ".."
							+ to + ", " + problem.seats().size() + " seats, " + problem.people().size() + " people"));
			return rosterId;
		});
		if (problem.seats().isEmpty() || problem.people().isEmpty()) {
			finish(id, problem);
		}
		else {
			seed(problem.people(), problem.seats());
			Duration search = RosterSolver.searchBudget(Duration.ofSeconds(seconds),
					Duration.ofNanos(System.nanoTime() - started));
			this.solver.solve(id, new DutyPlan(problem.people(), problem.seats()), search,
					plan -> finish(id, new Problem(problem.people(), plan.getSeats())), ex -> failed(id, ex));
		}
		return new Created(id);
	}

	private static LocalDate date(String text, String field) {
		try {
			return LocalDate.parse(text == null ? "" : text.strip());
		}
		catch (DateTimeParseException ex) {
			throw new InvalidInput(field, "workforce.roster.date");
		}
	}

	/**
	 * The people who serve the node and one seat per headcount of every shift of its
	 * posts on every day.
	 */
	public Problem problem(CurrentUser user, Node node, LocalDate from, LocalDate to) {
		List<Volunteers.Volunteer> enrolled = this.volunteers.serving(user, node);
		Map<Long, Long> teamOf = this.teams.teamOf(enrolled.stream().map(Volunteers.Volunteer::id).toList());
		List<DutyPerson> people = enrolled.stream()
			.map(v -> new DutyPerson(v.id(), Set.copyOf(v.skills()), v.maxShiftsPerWeek(), v.availableDays(),
					teamOf.get(v.id()), v.availableFrom(), v.availableTo(), v.preference()))
			.toList();
		List<DutyShape> shapes = new ArrayList<>();
		for (Posts.Post post : this.posts.within(node)) {
			for (Posts.Shift shift : post.shifts()) {
				shapes.add(new DutyShape(shift.id(), post.id(), post.teamId(), shift.starts(), shift.ends(),
						shift.headcount(), Set.copyOf(shift.skills()), post.kind()));
			}
		}
		return new Problem(people, seats(people, shapes, from, to));
	}

	/**
	 * The seats of a period. Each seat's candidates are those with the skills who serve
	 * on that day: the solver then only tries people who could sit there, which is what
	 * makes a street's week tractable.
	 */
	public static List<DutySeat> seats(List<DutyPerson> people, List<DutyShape> shapes, LocalDate from, LocalDate to) {
		List<DutySeat> seats = new ArrayList<>();
		Map<String, List<DutyPerson>> candidates = new HashMap<>();
		long id = 0;
		for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
			DayOfWeek weekday = day.getDayOfWeek();
			for (DutyShape shape : shapes) {
				DutySeat probe = new DutySeat(0, shape, day, from, List.of());
				List<DutyPerson> fit = candidates.computeIfAbsent(
						shape.skills() + "@" + weekday + "@" + shape.starts() + "-" + shape.ends(),
						key -> people.stream()
							.filter(p -> p.hasSkills(shape.skills()) && p.availableFor(probe))
							.toList());
				for (int k = 0; k < shape.headcount(); k++) {
					seats.add(new DutySeat(++id, shape, day, from, fit));
				}
			}
		}
		return seats;
	}

	/**
	 * A first roster for the solver to improve: seats in time order, each to the least
	 * loaded person who may take it. Weighing every candidate for every seat (the
	 * solver's own construction) costs minutes on a street's week; this costs
	 * milliseconds and leaves the time to the search.
	 */
	public static void seed(List<DutyPerson> people, List<DutySeat> seats) {
		List<DutySeat> ordered = new ArrayList<>(seats);
		ordered.sort(Comparator.comparingLong(DutySeat::getStart).thenComparingLong(DutySeat::getId));
		new HardRules().fill(people, ordered, true);
	}

	/**
	 * Settles and publishes a solved roster in one transaction: assignments, explained
	 * gaps, texts.
	 */
	void finish(long rosterId, Problem solved) {
		HardRules.Settled settled = HardRules.settle(solved.people(), solved.seats());
		LocalDate periodStart = solved.seats()
			.stream()
			.map(DutySeat::getDay)
			.min(Comparator.naturalOrder())
			.orElse(null);
		try {
			this.transactions.executeWithoutResult(status -> {
				Map<String, Object> roster = this.jdbc
					.sql("select path, node_id, from_date, to_date from duty_roster where id = :id")
					.param("id", rosterId)
					.query()
					.singleRow();
				for (DutySeat seat : solved.seats()) {
					if (seat.getPerson() != null) {
						this.jdbc
							.sql("""
									insert into duty_assignment (roster_id, shift_id, post_id, day, starts_at, ends_at, volunteer_id)
									values (:roster, :shift, :post, :day, :starts, :ends, :volunteer)""")
							.param("roster", rosterId)
							.param("shift", seat.getShiftId())
							.param("post", seat.getPostId())
							.param("day", seat.getDay())
							.param("starts", at(periodStart, seat.getStart()))
							.param("ends", at(periodStart, seat.getEnd()))
							.param("volunteer", seat.getPerson().id())
							.update();
					}
				}
				Map<String, List<HardRules.Explained>> gaps = new LinkedHashMap<>();
				for (HardRules.Explained gap : settled.empty()) {
					gaps.computeIfAbsent(gap.seat().getShiftId() + "@" + gap.seat().getDay(), k -> new ArrayList<>())
						.add(gap);
				}
				for (List<HardRules.Explained> same : gaps.values()) {
					HardRules.Explained gap = same.get(0);
					this.jdbc
						.sql("""
								insert into duty_unfilled (roster_id, shift_id, post_id, day, starts_at, ends_at, missing, reason, detail)
								values (:roster, :shift, :post, :day, :starts, :ends, :missing, :reason, :detail)""")
						.param("roster", rosterId)
						.param("shift", gap.seat().getShiftId())
						.param("post", gap.seat().getPostId())
						.param("day", gap.seat().getDay())
						.param("starts", at(periodStart, gap.seat().getStart()))
						.param("ends", at(periodStart, gap.seat().getEnd()))
						.param("missing", same.size())
						.param("reason", gap.reason().name())
						.param("detail", detail(gap.blocked()))
						.update();
				}
				String path = (String) roster.get("path");
				this.jdbc.sql("""
						update duty_roster set superseded_by = :id
						where node_id = :node and id <> :id and state = 'DONE' and superseded_by is null
						  and from_date <= :to and to_date >= :from""")
					.param("id", rosterId)
					.param("node", roster.get("node_id"))
					.param("from", roster.get("from_date"))
					.param("to", roster.get("to_date"))
					.update();
				this.jdbc.sql("update duty_roster set state = 'DONE', solved_at = now(), score = :score where id = :id")
					.param("id", rosterId)
					.param("score",
							"filled " + (solved.seats().size() - settled.empty().size()) + "/" + solved.seats().size()
									+ ", dropped " + settled.dropped() + ", repaired " + settled.repaired())
					.update();
				text(rosterId, path);
			});
		}
		catch (RuntimeException ex) {
			failed(rosterId, ex);
		}
	}

	/**
	 * One text per person with shifts in this roster: their count and their no-login
	 * link.
	 */
	private void text(long rosterId, String path) {
		List<Map<String, Object>> people = this.jdbc.sql("""
				select volunteer_id, count(*) as shifts, min(day) as first from duty_assignment where roster_id = :id
				group by volunteer_id""").param("id", rosterId).query().listOfRows();
		for (Map<String, Object> person : people) {
			long volunteer = ((Number) person.get("volunteer_id")).longValue();
			this.volunteers.phone(volunteer)
				.flatMap(PhoneNumber::parse)
				.ifPresent(
						phone -> this.outbox.queue(
								new Outbox.Sms("workforce:roster:" + rosterId + ":volunteer:" + volunteer, phone,
										"sms.workforce.shifts", List.of(person.get("shifts"),
												String.valueOf(person.get("first")), this.links.url(volunteer)),
										path)));
		}
	}

	static String detail(Map<HardRules.Rule, Integer> blocked) {
		StringBuilder text = new StringBuilder();
		blocked.forEach(
				(rule, count) -> text.append(text.isEmpty() ? "" : ", ").append(rule.name()).append('=').append(count));
		return text.isEmpty() ? "NO_PEOPLE" : text.toString();
	}

	private static LocalDateTime at(LocalDate periodStart, long minutes) {
		return periodStart.atStartOfDay().plusMinutes(minutes);
	}

	private void failed(long rosterId, Throwable ex) {
		log.error("Roster {} could not be solved", rosterId, ex);
		this.jdbc.sql("update duty_roster set state = 'FAILED', solved_at = now() where id = :id and state = 'SOLVING'")
			.param("id", rosterId)
			.update();
	}

	private record Stored(long id, long nodeId, String path, String state, LocalDate from, LocalDate to, String score) {
	}

	Stored stored(CurrentUser user, long id) {
		user.require(Permission.MANAGE_WORKFORCE);
		Stored roster = this.jdbc.sql("""
				select id, node_id, path, state, from_date, to_date, score from duty_roster where id = :id""")
			.param("id", id)
			.query((rs, n) -> new Stored(rs.getLong("id"), rs.getLong("node_id"), rs.getString("path"),
					rs.getString("state"), rs.getObject("from_date", LocalDate.class),
					rs.getObject("to_date", LocalDate.class), rs.getString("score")))
			.optional()
			.orElseThrow(() -> new NotFound("workforce.roster.notFound"));
		user.requireCovers(roster.path());
		return roster;
	}

	public Roster get(CurrentUser user, long id) {
		Stored roster = stored(user, id);
		String code = this.tree.node(user, roster.nodeId()).code();
		List<Assignment> assignments = this.jdbc.sql("""
				select post_id, day, starts_at, ends_at, volunteer_id from duty_assignment where roster_id = :id
				order by day, starts_at, post_id, volunteer_id""")
			.param("id", id)
			.query((rs, n) -> new Assignment(rs.getLong("post_id"), rs.getObject("day", LocalDate.class).toString(),
					hhmm(rs, "starts_at"), hhmm(rs, "ends_at"), rs.getLong("volunteer_id")))
			.list();
		List<Unfilled> unfilled = this.jdbc
			.sql("""
					select post_id, day, starts_at, ends_at, missing, reason, detail from duty_unfilled where roster_id = :id
					order by day, starts_at, post_id""")
			.param("id", id)
			.query((rs, n) -> new Unfilled(rs.getLong("post_id"), rs.getObject("day", LocalDate.class).toString(),
					hhmm(rs, "starts_at"), hhmm(rs, "ends_at"), rs.getInt("missing"), rs.getString("reason"),
					blocked(rs.getString("detail"))))
			.list();
		String state = roster.state().equals("SOLVING") ? "SOLVING" : roster.state();
		return new Roster(id, state, code, roster.from().toString(), roster.to().toString(), roster.score(),
				assignments, unfilled);
	}

	private static String hhmm(ResultSet rs, String column) throws SQLException {
		return rs.getObject(column, LocalDateTime.class).toLocalTime().format(HH_MM);
	}

	private static Map<String, Integer> blocked(String detail) {
		Map<String, Integer> counts = new LinkedHashMap<>();
		for (String part : detail.split(", ")) {
			int eq = part.indexOf('=');
			if (eq > 0) {
				counts.put(part.substring(0, eq), Integer.parseInt(part.substring(eq + 1)));
			}
		}
		return counts;
	}

	public record Summary(long id, String state, LocalDate from, LocalDate to, String score, boolean superseded) {
	}

	/** Rosters of the node and below, newest first. */
	public List<Summary> list(CurrentUser user, Node node) {
		user.require(Permission.MANAGE_WORKFORCE);
		return this.jdbc.sql("""
				select id, state, from_date, to_date, score, superseded_by is not null as superseded from duty_roster
				where path like :subtree order by id desc limit 20""")
			.param("subtree", node.path() + "%")
			.query((rs, n) -> new Summary(rs.getLong("id"), rs.getString("state"),
					rs.getObject("from_date", LocalDate.class), rs.getObject("to_date", LocalDate.class),
					rs.getString("score"), rs.getBoolean("superseded")))
			.list();
	}

	/** One person in a cell of the grid. */
	public record Seat(long assignmentId, long volunteerId, String name, boolean checkedIn, boolean late) {
	}

	/**
	 * A seat that may still change (not started, nobody checked in), as a form offers it.
	 */
	public record OpenSeat(long assignmentId, long postId, String postName, LocalDate day, String start, String end,
			long volunteerId, String name) {
	}

	/** A cell: who is on, and how many are missing and why. */
	public record Cell(List<Seat> seats, int missing, String reason) {
	}

	/** A row of the grid: one shift of one post, with a cell per day. */
	public record Row(long postId, String postName, String kind, String start, String end, int headcount,
			List<String> skills, List<Cell> cells) {
	}

	/**
	 * {@code editable}: the roster in force (done, not superseded), so its seats may be
	 * edited, swapped and emptied by leave; {@code open} lists those seats in time order.
	 */
	public record Grid(long id, String state, Node node, List<LocalDate> days, List<Row> rows, int filled, int seats,
			boolean editable, List<OpenSeat> open) {
	}

	/**
	 * The roster as a worker reads it: posts and shifts down, days across, names in full.
	 */
	public Grid grid(CurrentUser user, long id) {
		Stored roster = stored(user, id);
		Node node = this.tree.node(user, roster.nodeId());
		List<LocalDate> days = roster.from().datesUntil(roster.to().plusDays(1)).toList();
		Map<String, List<Seat>> seats = new HashMap<>();
		List<OpenSeat> open = new ArrayList<>();
		Map<Long, String> postNames = new HashMap<>();
		LocalDateTime now = LocalDateTime.now(this.clock);
		List<Posts.Post> within = this.posts.within(node);
		within.forEach(post -> postNames.put(post.id(), post.name()));
		this.jdbc.sql("""
				select a.id, a.shift_id, a.post_id, a.day, a.starts_at, a.ends_at, a.volunteer_id, v.name,
				       a.checked_in_at is not null as checked_in,
				       a.late_flagged_at is not null and a.checked_in_at is null as late
				from duty_assignment a join volunteer v on v.id = a.volunteer_id
				where a.roster_id = :id order by v.name""").param("id", id).query((rs, n) -> {
			Seat seat = new Seat(rs.getLong("id"), rs.getLong("volunteer_id"), rs.getString("name"),
					rs.getBoolean("checked_in"), rs.getBoolean("late"));
			LocalDate day = rs.getObject("day", LocalDate.class);
			seats.computeIfAbsent(rs.getLong("shift_id") + "@" + day, k -> new ArrayList<>()).add(seat);
			LocalDateTime starts = rs.getObject("starts_at", LocalDateTime.class);
			if (!seat.checkedIn() && starts.isAfter(now)) {
				open.add(new OpenSeat(seat.assignmentId(), rs.getLong("post_id"),
						postNames.getOrDefault(rs.getLong("post_id"), ""), day, starts.format(HH_MM),
						rs.getObject("ends_at", LocalDateTime.class).format(HH_MM), seat.volunteerId(), seat.name()));
			}
			return null;
		}).list();
		open.sort(Comparator.comparing(OpenSeat::day)
			.thenComparing(OpenSeat::start)
			.thenComparing(OpenSeat::postName)
			.thenComparing(OpenSeat::name));
		boolean editable = "DONE".equals(roster.state())
				&& this.jdbc.sql("select superseded_by is null from duty_roster where id = :id")
					.param("id", id)
					.query(Boolean.class)
					.single();
		Map<String, String[]> gaps = new HashMap<>();
		this.jdbc.sql("select shift_id, day, missing, reason from duty_unfilled where roster_id = :id")
			.param("id", id)
			.query((rs, n) -> gaps.put(rs.getLong("shift_id") + "@" + rs.getObject("day", LocalDate.class),
					new String[] { String.valueOf(rs.getInt("missing")), rs.getString("reason") }))
			.list();
		List<Row> rows = new ArrayList<>();
		int filled = 0;
		int total = 0;
		for (Posts.Post post : within) {
			for (Posts.Shift shift : post.shifts()) {
				List<Cell> cells = new ArrayList<>();
				for (LocalDate day : days) {
					String key = shift.id() + "@" + day;
					List<Seat> on = seats.getOrDefault(key, List.of());
					String[] gap = gaps.get(key);
					cells.add(new Cell(on, gap == null ? 0 : Integer.parseInt(gap[0]), gap == null ? null : gap[1]));
					filled += on.size();
					total += on.size() + (gap == null ? 0 : Integer.parseInt(gap[0]));
				}
				rows.add(new Row(post.id(), post.name(), post.kind().name(), shift.starts().format(HH_MM),
						shift.ends().format(HH_MM), shift.headcount(), shift.skills(), cells));
			}
		}
		return new Grid(id, roster.state(), node, days, rows, filled, total, editable, open);
	}

}
