package org.fangxian.quarantine;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.fangxian.audit.AuditEvent;
import org.fangxian.registry.ResidentDirectory;
import org.fangxian.registry.ResidentDirectory.ResidentSnapshot;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.FreeText;
import org.fangxian.shared.FullWidth;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.NotFound;
import org.fangxian.shared.PersonNames;
import org.fangxian.shared.Temperature;
import org.fangxian.quarantine.internal.CheckInLinks;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.support.DefaultMessageSourceResolvable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Home quarantine (居家隔离) of a person or a household: start, daily check-ins (twice a day,
 * by the person through their link or by a worker), tests on set days, release. A person
 * under quarantine is denied at every gate until released — the planned end is when
 * release is due, not a release.
 */
@Service
public class Quarantines {

	public enum Kind {

		/** 居家隔离 */
		HOME,
		/** 集中隔离 */
		CENTRALISED,
		/** 居家健康监测: stays home, may go out for tests */
		MONITORING

	}

	/** Morning or afternoon check-in (早晚两次体温). */
	public enum Slot {

		AM, PM

	}

	public record NewQuarantine(Long residentId, Long householdId, String kind, String reason, String place,
			LocalDate startsOn, Integer days, LocalDate endsOn, String testDays) {
	}

	public record Quarantine(long id, long residentId, String person, String path, Kind kind, String reason,
			String place, LocalDate startsOn, LocalDate endsOn, List<Integer> testDays, Timestamp releasedAt,
			String releaseNote, LocalDate lastCheckIn, boolean checkInOverdue) {

		public boolean open() {
			return this.releasedAt == null;
		}

		/** 1 on the first day. */
		public long dayNumber(LocalDate today) {
			return today.toEpochDay() - this.startsOn.toEpochDay() + 1;
		}

	}

	public record CheckIn(LocalDate day, Slot slot, BigDecimal temperature, String symptoms, String note,
			boolean byResident, Timestamp at) {

		public boolean fever() {
			return Temperature.isFever(this.temperature);
		}

	}

	public record TestRecord(int dayNumber, LocalDate due, String result) {
	}

	private final JdbcClient jdbc;

	private final ResidentDirectory directory;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final LocalTime checkInDeadline;

	/** Days in texts as residents write them: 12月16日. */
	private static final DateTimeFormatter SMS_DAY = DateTimeFormatter.ofPattern("M月d日");

	private final org.fangxian.notification.Outbox outbox;

	private final CheckInLinks links;

	private final int defaultDays;

	Quarantines(JdbcClient jdbc, ResidentDirectory directory, ApplicationEventPublisher events, Clock clock,
			@Value("${fangxian.quarantine.check-in-deadline:10:00}") LocalTime checkInDeadline,
			@Value("${fangxian.quarantine.default-days:14}") int defaultDays, org.fangxian.notification.Outbox outbox,
			CheckInLinks links) {
		this.outbox = outbox;
		this.links = links;
		this.jdbc = jdbc;
		this.directory = directory;
		this.events = events;
		this.clock = clock;
		this.checkInDeadline = checkInDeadline;
		this.defaultDays = defaultDays;
	}

	public LocalDate today() {
		return LocalDate.now(this.clock);
	}

	/**
	 * @return the quarantines started: one, or one per living member of the household
	 */
	@Transactional
	public List<Long> start(CurrentUser user, NewQuarantine form) {
		user.require(Permission.MANAGE_CONTAINMENT);
		List<ResidentSnapshot> people;
		if (form.residentId() != null) {
			ResidentSnapshot person = this.directory.byId(form.residentId())
				.orElseThrow(() -> new NotFound("resident.notFound"));
			user.requireCovers(person.path());
			people = List.of(person);
		}
		else if (form.householdId() != null) {
			people = this.directory.household(form.householdId());
			if (people.isEmpty()) {
				throw new InvalidInput("householdId", "quarantine.household.empty");
			}
			people.forEach(p -> user.requireCovers(p.path()));
		}
		else {
			throw new InvalidInput("residentId", "quarantine.person.required");
		}
		Kind kind;
		try {
			kind = Kind.valueOf(form.kind() == null ? "HOME" : form.kind().trim().toUpperCase());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidInput("kind", "quarantine.kind.invalid");
		}
		String reason = FreeText.required("reason", form.reason(), 300);
		String place = FreeText.required("place", form.place(), 300);
		LocalDate today = today();
		LocalDate starts = form.startsOn() == null ? today : form.startsOn();
		if (starts.isBefore(today.minusDays(14)) || starts.isAfter(today.plusDays(7))) {
			throw new InvalidInput("startsOn", "quarantine.start.outOfRange");
		}
		LocalDate ends;
		if (form.endsOn() != null) {
			ends = form.endsOn();
			if (!ends.isAfter(starts)) {
				throw new InvalidInput("endsOn", "quarantine.end.beforeStart");
			}
		}
		else {
			int days = form.days() == null ? this.defaultDays : form.days();
			if (days < 1 || days > 60) {
				throw new InvalidInput("days", "quarantine.days.range");
			}
			ends = starts.plusDays(days);
		}
		Integer[] testDays = parseTestDays(form.testDays(), (int) (ends.toEpochDay() - starts.toEpochDay()));
		List<Long> ids = new ArrayList<>();
		for (ResidentSnapshot person : people) {
			try {
				long id = this.jdbc
					.sql("""
							insert into quarantine (resident_id, household_id, path, kind, reason, place, starts_on, ends_on,
							                        test_days, created_by)
							values (:resident, :household, :path, :kind, :reason, :place, :starts, :ends, :tests, :account)
							returning id""")
					.param("resident", person.id())
					.param("household", person.householdId())
					.param("path", person.path())
					.param("kind", kind.name())
					.param("reason", reason)
					.param("place", place)
					.param("starts", Date.valueOf(starts))
					.param("ends", Date.valueOf(ends))
					.param("tests", testDays)
					.param("account", user.accountId())
					.query(Long.class)
					.single();
				ids.add(id);
				// the person checks in through their own link; a family sharing a phone
				// gets one text each
				this.directory.contact(person.id())
					.ifPresent(contact -> this.outbox.queue(new org.fangxian.notification.Outbox.Sms(
							"containment:quarantine:" + id + ":start", contact.phone(), "sms.containment.quarantine",
							List.of(new DefaultMessageSourceResolvable("quarantine.kind." + kind),
									SMS_DAY.format(starts), place, SMS_DAY.format(ends),
									this.outbox.link("/q/" + this.links.token(id))),
							person.path())));
				this.events.publishEvent(AuditEvent.of(user, "QUARANTINE_START", "resident", person.id(),
						kind + " " + starts + ".." + ends));
			}
			catch (DuplicateKeyException ex) {
				throw new InvalidInput("residentId", "quarantine.alreadyOpen", person.maskedName());
			}
		}
		return ids;
	}

	/**
	 * A contact of a case to quarantine, as flow tracing (流调) decided: from the day of
	 * the last contact, for the days the rules give, with their test days.
	 */
	public record ContactQuarantine(long residentId, Kind kind, String reason, String place, LocalDate startsOn,
			int days, List<Integer> testDays) {
	}

	/**
	 * Starts the quarantine of a confirmed contact, for whoever traces cases (or runs
	 * containment) in the person's jurisdiction. Nothing happens to someone already under
	 * an open quarantine, or whose quarantine counted from the contact would already be
	 * over: the answer is then empty, so asking twice starts it once.
	 */
	@Transactional
	public Optional<Long> startForContact(CurrentUser user, ContactQuarantine form) {
		if (!user.can(Permission.MANAGE_TRACING)) {
			user.require(Permission.MANAGE_CONTAINMENT);
		}
		ResidentSnapshot person = this.directory.byId(form.residentId())
			.orElseThrow(() -> new NotFound("resident.notFound"));
		user.requireCovers(person.path());
		if (form.kind() == Kind.MONITORING || form.days() < 1 || form.days() > 60) {
			throw new InvalidInput("kind", "quarantine.kind.invalid");
		}
		LocalDate ends = form.startsOn().plusDays(form.days());
		if (!ends.isAfter(today())) {
			return Optional.empty();
		}
		Integer[] testDays = form.testDays()
			.stream()
			.filter(d -> d >= 1 && d <= form.days())
			.distinct()
			.sorted()
			.toArray(Integer[]::new);
		Optional<Long> id = this.jdbc
			.sql("""
					insert into quarantine (resident_id, household_id, path, kind, reason, place, starts_on, ends_on, test_days,
					                        created_by)
					values (:resident, :household, :path, :kind, :reason, :place, :starts, :ends, :tests, :account)
					on conflict (resident_id) where released_at is null do nothing
					returning id""")
			.param("resident", person.id())
			.param("household", person.householdId())
			.param("path", person.path())
			.param("kind", form.kind().name())
			.param("reason", FreeText.required("reason", form.reason(), 300))
			.param("place", FreeText.required("place", form.place(), 300))
			.param("starts", Date.valueOf(form.startsOn()))
			.param("ends", Date.valueOf(ends))
			.param("tests", testDays)
			.param("account", user.accountId())
			.query(Long.class)
			.optional();
		id.ifPresent(quarantine -> {
			this.directory.contact(person.id())
				.ifPresent(contact -> this.outbox
					.queue(new org.fangxian.notification.Outbox.Sms("containment:quarantine:" + quarantine + ":start",
							contact.phone(), "sms.containment.quarantine",
							List.of(new DefaultMessageSourceResolvable("quarantine.kind." + form.kind()),
									SMS_DAY.format(form.startsOn()), form.place(), SMS_DAY.format(ends),
									this.outbox.link("/q/" + this.links.token(quarantine))),
							person.path())));
			this.events.publishEvent(AuditEvent.of(user, "QUARANTINE_START", "resident", person.id(),
					form.kind() + " " + form.startsOn() + ".." + ends + " (contact of a case)"));
		});
		return id;
	}

	static Integer[] parseTestDays(String raw, int length) {
		if (raw == null || raw.isBlank()) {
			return new Integer[0];
		}
		try {
			Integer[] days = Arrays.stream(FullWidth.toHalfWidth(raw).split("[,，、\\s]+"))
				.filter(s -> !s.isBlank())
				.map(s -> Integer.valueOf(s.trim()))
				.distinct()
				.sorted()
				.toArray(Integer[]::new);
			for (int day : days) {
				if (day < 1 || day > length) {
					throw new InvalidInput("testDays", "quarantine.testDays.range", length);
				}
			}
			return days;
		}
		catch (NumberFormatException ex) {
			throw new InvalidInput("testDays", "quarantine.testDays.invalid");
		}
	}

	private static final String SELECT = """
			select q.id, q.resident_id, r.name, q.path, q.kind, q.reason, q.place, q.starts_on, q.ends_on, q.test_days,
			       q.released_at, q.release_note,
			       (select max(c.day) from quarantine_check_in c where c.quarantine_id = q.id) as last_check_in,
			       (select count(distinct c.day) from quarantine_check_in c where c.quarantine_id = q.id
			          and c.day < :today) as days_checked
			from quarantine q join registry_resident r on r.id = q.resident_id""";

	private Quarantine map(java.sql.ResultSet rs, LocalDate today, boolean pastDeadline) throws java.sql.SQLException {
		LocalDate starts = rs.getDate(8).toLocalDate();
		LocalDate ends = rs.getDate(9).toLocalDate();
		Timestamp released = rs.getTimestamp(11);
		java.sql.Date last = rs.getDate(13);
		LocalDate lastCheckIn = last == null ? null : last.toLocalDate();
		boolean overdue = false;
		if (released == null && !starts.isAfter(today)) {
			// every past day of the quarantine needs a check-in; today's is due after the
			// deadline
			LocalDate lastRequired = ends.isAfter(today) ? today.minusDays(1) : ends.minusDays(1);
			long daysRequired = Math.max(0, lastRequired.toEpochDay() - starts.toEpochDay() + 1);
			overdue = rs.getLong(14) < daysRequired
					|| (pastDeadline && ends.isAfter(today) && (lastCheckIn == null || lastCheckIn.isBefore(today)));
		}
		Integer[] tests = (Integer[]) rs.getArray(10).getArray();
		String name = rs.getString(3);
		String masked = PersonNames.initial(name);
		return new Quarantine(rs.getLong(1), rs.getLong(2), masked, rs.getString(4), Kind.valueOf(rs.getString(5)),
				rs.getString(6), rs.getString(7), starts, ends, List.of(tests), released, rs.getString(12), lastCheckIn,
				overdue);
	}

	private boolean pastDeadline() {
		return LocalDateTime.now(this.clock).toLocalTime().isAfter(this.checkInDeadline);
	}

	/**
	 * Open quarantines in the jurisdiction; {@code overdueOnly}: those missing a
	 * check-in.
	 */
	@Transactional(readOnly = true)
	public List<Quarantine> open(CurrentUser user, boolean overdueOnly) {
		user.require(Permission.MANAGE_CONTAINMENT);
		LocalDate today = today();
		boolean pastDeadline = pastDeadline();
		return this.jdbc.sql(SELECT + " where q.released_at is null and q.path like :scope order by q.ends_on, q.id")
			.param("today", Date.valueOf(today))
			.param("scope", user.scopePattern())
			.query((rs, n) -> map(rs, today, pastDeadline))
			.list()
			.stream()
			.filter(q -> !overdueOnly || q.checkInOverdue())
			.toList();
	}

	@Transactional(readOnly = true)
	public Quarantine get(CurrentUser user, long id) {
		user.require(Permission.MANAGE_CONTAINMENT);
		Quarantine quarantine = find(id).orElseThrow(() -> new NotFound("quarantine.notFound"));
		user.requireCovers(quarantine.path());
		return quarantine;
	}

	public Optional<Quarantine> find(long id) {
		LocalDate today = today();
		boolean pastDeadline = pastDeadline();
		return this.jdbc.sql(SELECT + " where q.id = :id")
			.param("today", Date.valueOf(today))
			.param("id", id)
			.query((rs, n) -> map(rs, today, pastDeadline))
			.optional();
	}

	/** A worker's check-in for the person (phoned or at the door). */
	@Transactional
	public void checkIn(CurrentUser user, long id, String temperature, String symptoms, String note) {
		Quarantine quarantine = get(user, id);
		record(quarantine, temperature, symptoms, note, false, user.accountId());
	}

	/**
	 * The person's own check-in through their link; the link's token was verified by the
	 * caller.
	 */
	@Transactional
	public void checkInByResident(long id, String temperature, String symptoms) {
		Quarantine quarantine = find(id).orElseThrow(() -> new NotFound("quarantine.notFound"));
		record(quarantine, temperature, symptoms, null, true, null);
	}

	private void record(Quarantine quarantine, String temperature, String symptoms, String note, boolean byResident,
			Long accountId) {
		if (!quarantine.open()) {
			throw new InvalidInput("id", "quarantine.released");
		}
		BigDecimal value = Temperature.parse(temperature == null ? "" : temperature).celsius();
		LocalDateTime now = LocalDateTime.now(this.clock);
		Slot slot = now.getHour() < 12 ? Slot.AM : Slot.PM;
		String symptomsText = Objects.requireNonNullElse(FreeText.optional("symptoms", symptoms, 200), "");
		// Every check-in is kept, two in one half-day too: a worker's 37.9 °C with a
		// cough
		// must not vanish behind a later 36.6 °C self-report. The same reading sent again
		// in the same half-day (a double tap, a retried form) is one check-in.
		int added = this.jdbc.sql("""
				insert into quarantine_check_in (quarantine_id, day, slot, temperature, symptoms, note, by_resident,
				                                 account_id, at)
				select :id, :day, :slot, :temperature, :symptoms, :note, :byResident, :account, :at
				where not exists (select 1 from quarantine_check_in c
				                  where c.quarantine_id = :id and c.day = :day and c.slot = :slot
				                    and c.temperature = :temperature and c.symptoms = :symptoms
				                    and c.by_resident = :byResident)""")
			.param("id", quarantine.id())
			.param("day", Date.valueOf(now.toLocalDate()))
			.param("slot", slot.name())
			.param("temperature", value)
			.param("symptoms", symptomsText)
			.param("note", FreeText.optional("note", note, 300))
			.param("byResident", byResident)
			.param("account", accountId)
			.param("at", Timestamp.from(this.clock.instant()))
			.update();
		if (added == 1 && Temperature.isFever(value)) {
			this.events
				.publishEvent(new QuarantineAlert(QuarantineAlert.Kind.FEVER, quarantine.id(), quarantine.residentId(),
						quarantine.person(), quarantine.path(), now.toLocalDate(), slot.name(), value, null));
		}
	}

	@Transactional(readOnly = true)
	public List<CheckIn> checkIns(CurrentUser user, long id) {
		Quarantine quarantine = get(user, id);
		return this.jdbc.sql("""
				select day, slot, temperature, symptoms, note, by_resident, at
				from quarantine_check_in where district_id = any(districts_under(:path)) and quarantine_id = :id
				order by day desc, slot desc, at desc, id desc""")
			.param("path", quarantine.path())
			.param("id", id)
			.query((rs, n) -> new CheckIn(rs.getDate(1).toLocalDate(), Slot.valueOf(rs.getString(2)),
					rs.getBigDecimal(3), rs.getString(4), rs.getString(5), rs.getBoolean(6), rs.getTimestamp(7)))
			.list();
	}

	/** A fever reported at a check-in of an open quarantine (masked name). */
	public record Fever(long quarantineId, String person, LocalDate day, Slot slot, BigDecimal temperature) {
	}

	/**
	 * Fevers reported since {@code since} in open quarantines of the caller's
	 * jurisdiction, newest first: a fever stays listed whatever was reported after it.
	 */
	@Transactional(readOnly = true)
	public List<Fever> fevers(CurrentUser user, LocalDate since) {
		user.require(Permission.MANAGE_CONTAINMENT);
		return this.jdbc.sql("""
				select c.quarantine_id, r.name, c.day, c.slot, c.temperature
				from quarantine_check_in c join quarantine q on q.id = c.quarantine_id
				join registry_resident r on r.id = q.resident_id
				where q.released_at is null and q.path like :scope and c.day >= :since and c.temperature >= :fever
				order by c.day desc, c.at desc limit 200""")
			.param("scope", user.scopePattern())
			.param("since", Date.valueOf(since))
			.param("fever", new BigDecimal(Temperature.FEVER_THRESHOLD))
			.query((rs, n) -> new Fever(rs.getLong(1), PersonNames.initial(rs.getString(2)),
					rs.getDate(3).toLocalDate(), Slot.valueOf(rs.getString(4)), rs.getBigDecimal(5)))
			.list();
	}

	@Transactional(readOnly = true)
	public List<TestRecord> tests(CurrentUser user, long id) {
		Quarantine quarantine = get(user, id);
		java.util.Map<Integer, String> results = new java.util.HashMap<>();
		this.jdbc.sql("select day_number, result from quarantine_test where quarantine_id = :id")
			.param("id", id)
			.query((rs, n) -> results.put(rs.getInt(1), rs.getString(2)))
			.list();
		return quarantine.testDays()
			.stream()
			.map(day -> new TestRecord(day, quarantine.startsOn().plusDays(day - 1), results.get(day)))
			.toList();
	}

	@Transactional
	public void recordTest(CurrentUser user, long id, Integer dayNumber, String result) {
		Quarantine quarantine = get(user, id);
		if (dayNumber == null || !quarantine.testDays().contains(dayNumber)) {
			throw new InvalidInput("day", "quarantine.test.notScheduled");
		}
		String value = result == null ? "" : result.trim().toUpperCase();
		if (!List.of("SAMPLED", "NEGATIVE", "POSITIVE").contains(value)) {
			throw new InvalidInput("result", "quarantine.test.result");
		}
		String previous = this.jdbc
			.sql("select result from quarantine_test where quarantine_id = :id and day_number = :day for update")
			.param("id", id)
			.param("day", dayNumber)
			.query(String.class)
			.optional()
			.orElse(null);
		this.jdbc
			.sql("""
					insert into quarantine_test (quarantine_id, day_number, result, account_id) values (:id, :day, :result, :account)
					on conflict (quarantine_id, day_number) do update
					set result = excluded.result, account_id = excluded.account_id, recorded_at = now()""")
			.param("id", id)
			.param("day", dayNumber)
			.param("result", value)
			.param("account", user.accountId())
			.update();
		this.events
			.publishEvent(AuditEvent.of(user, "QUARANTINE_TEST", "quarantine", id, "day " + dayNumber + " " + value));
		if (value.equals("POSITIVE") && !"POSITIVE".equals(previous)) {
			// Escalated at once: the community's workers are texted in this transaction.
			this.events.publishEvent(
					new QuarantineAlert(QuarantineAlert.Kind.POSITIVE, id, quarantine.residentId(), quarantine.person(),
							quarantine.path(), quarantine.startsOn().plusDays(dayNumber - 1), null, null, dayNumber));
		}
	}

	/**
	 * Ends the quarantine with a record; before its planned end only with a note saying
	 * why.
	 */
	@Transactional
	public void release(CurrentUser user, long id, String note) {
		Quarantine quarantine = get(user, id);
		if (!quarantine.open()) {
			throw new InvalidInput("id", "quarantine.released");
		}
		String text = FreeText.optional("note", note, 300);
		if (today().isBefore(quarantine.endsOn()) && text == null) {
			throw new InvalidInput("note", "quarantine.release.earlyNeedsNote");
		}
		this.jdbc.sql("""
				update quarantine set released_at = :at, release_note = :note, released_by = :account
				where id = :id and released_at is null""")
			.param("at", Timestamp.from(this.clock.instant()))
			.param("note", text)
			.param("account", user.accountId())
			.param("id", id)
			.update();
		this.events.publishEvent(AuditEvent.of(user, "QUARANTINE_RELEASE", "resident", quarantine.residentId(), text));
	}

	/**
	 * Whether the person is under an open quarantine of a kind that keeps them home, for
	 * the gate.
	 */
	public Optional<Kind> openFor(long residentId, java.time.Instant at) {
		return this.jdbc.sql(OPEN_KIND.formatted(":resident"))
			.param("resident", residentId)
			.param("today", Date.valueOf(LocalDate.ofInstant(at, this.clock.getZone())))
			.query((rs, n) -> Kind.valueOf(rs.getString(1)))
			.optional();
	}

	private static final String OPEN_KIND = """
			select kind from quarantine where resident_id = %s and released_at is null and starts_on <= :today""";

	/**
	 * {@link #openFor} as a scalar subquery for a one-statement read (the gate, issue
	 * 17): the open quarantine's kind or null; {@code :today} is bound by the caller.
	 * @param resident SQL expression for the resident's id
	 */
	public static String openKindSql(String resident) {
		return "(" + OPEN_KIND.formatted(resident) + ")";
	}

}
