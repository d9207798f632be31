package org.fangxian.quarantine.internal;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.fangxian.quarantine.QuarantineAlert;
import org.fangxian.quarantine.Quarantines.CheckIn;
import org.fangxian.quarantine.Quarantines.Fever;
import org.fangxian.quarantine.Quarantines.Kind;
import org.fangxian.quarantine.Quarantines.Quarantine;
import org.fangxian.quarantine.Quarantines.Slot;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.FreeText;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.NotFound;
import org.fangxian.shared.PersonNames;
import org.fangxian.shared.Temperature;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Quarantines as the board reads them (overdue check-ins worked out against the
 * configured deadline) and their check-ins: the worker's and the person's own, a fever
 * raised as a {@link QuarantineAlert}.
 */
@Service
public class QuarantineBook {

	private static final String SELECT = """
			select q.id, q.resident_id, r.name, q.path, q.kind, q.reason, q.place, q.starts_on, q.ends_on, q.test_days,
			       q.released_at, q.release_note,
			       (select max(c.day) from quarantine_check_in c where c.quarantine_id = q.id) as last_check_in,
			       (select count(distinct c.day) from quarantine_check_in c where c.quarantine_id = q.id
			          and c.day < :today) as days_checked
			from quarantine q join registry_resident r on r.id = q.resident_id""";

	private static final String OPEN_KIND = """
			select kind from quarantine where resident_id = %s and released_at is null and starts_on <= :today""";

	private final JdbcClient jdbc;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final LocalTime checkInDeadline;

	QuarantineBook(JdbcClient jdbc, ApplicationEventPublisher events, Clock clock,
			@Value("${fangxian.quarantine.check-in-deadline:10:00}") LocalTime checkInDeadline) {
		this.jdbc = jdbc;
		this.events = events;
		this.clock = clock;
		this.checkInDeadline = checkInDeadline;
	}

	public LocalDate today() {
		return LocalDate.now(this.clock);
	}

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

	/**
	 * {@link #openFor} as a scalar subquery for a one-statement read (the gate, issue
	 * 17): the open quarantine's kind or null; {@code :today} is bound by the caller.
	 * @param resident SQL expression for the resident's id
	 */
	static String openKindSql(String resident) {
		return "(" + OPEN_KIND.formatted(resident) + ")";
	}

}
