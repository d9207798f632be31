package org.fangxian.quarantine;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import org.fangxian.quarantine.internal.QuarantineBook;
import org.fangxian.quarantine.internal.QuarantineOutcomes;
import org.fangxian.quarantine.internal.QuarantineStarts;
import org.fangxian.security.CurrentUser;
import org.fangxian.shared.Temperature;

import org.springframework.stereotype.Component;

/**
 * Home quarantine (居家隔离) of a person or a household as other modules use it: start one
 * (returnee review, flow tracing, the demo), whether someone is under one (the gate,
 * tracing, support requests), the open ones and fevers of a jurisdiction (the today
 * page), a check-in or a test result (the demo). A person under quarantine is denied at
 * every gate until released — the planned end is when release is due, not a release. The
 * work is done in {@code internal/}: starts in {@code QuarantineStarts}, reads and
 * check-ins in {@code QuarantineBook}, tests and release in {@code QuarantineOutcomes}.
 */
@Component
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

	/**
	 * A contact of a case to quarantine, as flow tracing (流调) decided: from the day of
	 * the last contact, for the days the rules give, with their test days.
	 */
	public record ContactQuarantine(long residentId, Kind kind, String reason, String place, LocalDate startsOn,
			int days, List<Integer> testDays) {
	}

	/** A fever reported at a check-in of an open quarantine (masked name). */
	public record Fever(long quarantineId, String person, LocalDate day, Slot slot, BigDecimal temperature) {
	}

	private final QuarantineStarts starts;

	private final QuarantineBook book;

	private final QuarantineOutcomes outcomes;

	Quarantines(QuarantineStarts starts, QuarantineBook book, QuarantineOutcomes outcomes) {
		this.starts = starts;
		this.book = book;
		this.outcomes = outcomes;
	}

	/**
	 * @return the quarantines started: one, or one per living member of the household
	 */
	public List<Long> start(CurrentUser user, NewQuarantine form) {
		return this.starts.start(user, form);
	}

	/**
	 * Starts the quarantine of a confirmed contact, for whoever traces cases (or runs
	 * containment) in the person's jurisdiction. Nothing happens to someone already under
	 * an open quarantine, or whose quarantine counted from the contact would already be
	 * over: the answer is then empty, so asking twice starts it once.
	 */
	public Optional<Long> startForContact(CurrentUser user, ContactQuarantine form) {
		return this.starts.startForContact(user, form);
	}

	/**
	 * The kind of the person's open quarantine, if any (tracing, support requests, the
	 * returnee review; the gate reads it in its one statement through
	 * {@code ContainmentRestriction}).
	 */
	public Optional<Kind> openFor(long residentId, Instant at) {
		return this.book.openFor(residentId, at);
	}

	/**
	 * Open quarantines in the jurisdiction; {@code overdueOnly}: those missing a
	 * check-in.
	 */
	public List<Quarantine> open(CurrentUser user, boolean overdueOnly) {
		return this.book.open(user, overdueOnly);
	}

	/**
	 * Fevers reported since {@code since} in open quarantines of the caller's
	 * jurisdiction, newest first: a fever stays listed whatever was reported after it.
	 */
	public List<Fever> fevers(CurrentUser user, LocalDate since) {
		return this.book.fevers(user, since);
	}

	/** A worker's check-in for the person (phoned or at the door). */
	public void checkIn(CurrentUser user, long id, String temperature, String symptoms, String note) {
		this.book.checkIn(user, id, temperature, symptoms, note);
	}

	/** The result of the test of a set day of the quarantine. */
	public void recordTest(CurrentUser user, long id, Integer dayNumber, String result) {
		this.outcomes.recordTest(user, id, dayNumber, result);
	}

}
