package org.fangxian.quarantine.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;

import org.fangxian.audit.AuditEvent;
import org.fangxian.quarantine.QuarantineAlert;
import org.fangxian.quarantine.Quarantines.Quarantine;
import org.fangxian.quarantine.Quarantines.TestRecord;
import org.fangxian.security.CurrentUser;
import org.fangxian.shared.FreeText;
import org.fangxian.shared.InvalidInput;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * How a quarantine goes on and ends: the tests of its set days (a positive one raised as
 * a {@link QuarantineAlert}) and the release.
 */
@Service
public class QuarantineOutcomes {

	private final JdbcClient jdbc;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final QuarantineBook book;

	QuarantineOutcomes(JdbcClient jdbc, ApplicationEventPublisher events, Clock clock, QuarantineBook book) {
		this.jdbc = jdbc;
		this.events = events;
		this.clock = clock;
		this.book = book;
	}

	@Transactional(readOnly = true)
	public List<TestRecord> tests(CurrentUser user, long id) {
		Quarantine quarantine = this.book.get(user, id);
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
		Quarantine quarantine = this.book.get(user, id);
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
		Quarantine quarantine = this.book.get(user, id);
		if (!quarantine.open()) {
			throw new InvalidInput("id", "quarantine.released");
		}
		String text = FreeText.optional("note", note, 300);
		if (this.book.today().isBefore(quarantine.endsOn()) && text == null) {
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

}
