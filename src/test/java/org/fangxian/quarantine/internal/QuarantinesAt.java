package org.fangxian.quarantine.internal;

import java.time.Clock;
import java.time.LocalTime;
import java.util.List;

import org.fangxian.notification.Outbox;
import org.fangxian.quarantine.Quarantines;
import org.fangxian.registry.ResidentDirectory;
import org.fangxian.security.CurrentUser;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The quarantine services over a clock of the test's own; the rest is the application's.
 * No proxies: the test runs them in its own transaction.
 */
public record QuarantinesAt(QuarantineBook book, QuarantineStarts starts, QuarantineOutcomes outcomes) {

	public static QuarantinesAt of(Clock clock, LocalTime checkInDeadline, int defaultDays, JdbcClient jdbc,
			ResidentDirectory directory, ApplicationEventPublisher events, Outbox outbox, CheckInLinks links) {
		QuarantineBook book = new QuarantineBook(jdbc, events, clock, checkInDeadline);
		return new QuarantinesAt(book, new QuarantineStarts(jdbc, directory, events, outbox, links, book, defaultDays),
				new QuarantineOutcomes(jdbc, events, clock, book));
	}

	public List<Long> start(CurrentUser user, Quarantines.NewQuarantine form) {
		return this.starts.start(user, form);
	}

	public Quarantines.Quarantine get(CurrentUser user, long id) {
		return this.book.get(user, id);
	}

	public List<Quarantines.Quarantine> open(CurrentUser user, boolean overdueOnly) {
		return this.book.open(user, overdueOnly);
	}

	public void checkIn(CurrentUser user, long id, String temperature, String symptoms, String note) {
		this.book.checkIn(user, id, temperature, symptoms, note);
	}

	public void checkInByResident(long id, String temperature, String symptoms) {
		this.book.checkInByResident(id, temperature, symptoms);
	}

	public void release(CurrentUser user, long id, String note) {
		this.outcomes.release(user, id, note);
	}

}
