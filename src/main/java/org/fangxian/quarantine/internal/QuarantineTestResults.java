package org.fangxian.quarantine.internal;

import java.sql.Date;
import java.time.LocalDate;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.fangxian.testing.LabResultsRecorded;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A quarantine's test days (e.g. 1, 2, 3, 5, 7) take their results from the lab imports
 * rather than being typed: a swab taken on a test day of an open quarantine fills that
 * day in. A pooled positive is not the person's own result (the individual re-test is),
 * so it fills nothing.
 */
@Component
class QuarantineTestResults {

	private final JdbcClient jdbc;

	private final java.time.Clock clock;

	QuarantineTestResults(JdbcClient jdbc, java.time.Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	private record Open(long id, long residentId, LocalDate startsOn, Integer[] testDays) {
	}

	@EventListener
	void on(LabResultsRecorded recorded) {
		Map<Long, LabResultsRecorded.PersonResult> own = recorded.results()
			.stream()
			.filter(r -> !r.positive() || r.individual())
			.collect(Collectors.toMap(LabResultsRecorded.PersonResult::residentId, Function.identity(),
					(a, b) -> a.positive() ? a : b));
		if (own.isEmpty()) {
			return;
		}
		var open = this.jdbc.sql("""
				select id, resident_id, starts_on, test_days from quarantine
				where resident_id = any(:residents) and released_at is null""")
			.param("residents", own.keySet().toArray(Long[]::new))
			.query((rs, n) -> new Open(rs.getLong("id"), rs.getLong("resident_id"),
					rs.getDate("starts_on").toLocalDate(), (Integer[]) rs.getArray("test_days").getArray()))
			.list();
		for (Open quarantine : open) {
			LabResultsRecorded.PersonResult result = own.get(quarantine.residentId());
			LocalDate sampled = LocalDate.ofInstant(result.sampledAt(), this.clock.getZone());
			int day = (int) (sampled.toEpochDay() - quarantine.startsOn().toEpochDay() + 1);
			if (!java.util.Arrays.asList(quarantine.testDays()).contains(day)) {
				continue;
			}
			this.jdbc
				.sql("""
						insert into quarantine_test (quarantine_id, day_number, result, account_id) values (:id, :day, :result, :account)
						on conflict (quarantine_id, day_number) do update
						set result = excluded.result, account_id = excluded.account_id, recorded_at = now()""")
				.param("id", quarantine.id())
				.param("day", day)
				.param("result", result.positive() ? "POSITIVE" : "NEGATIVE")
				.param("account", recorded.accountId())
				.update();
		}
	}

}
