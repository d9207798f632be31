package org.fangxian.quarantine.internal;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.fangxian.shared.ChinaStandardTime;
import org.fangxian.shared.PersonalDataPurge;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Quarantine's personal records for the purge: quarantines released before the cut-off
 * with their check-ins and tests; an open quarantine is today's work and stays.
 */
@Component
class QuarantineDataPurge implements PersonalDataPurge {

	private final JdbcClient jdbc;

	QuarantineDataPurge(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public String module() {
		return "quarantine";
	}

	@Override
	public Map<String, Long> purge(Instant before, String path, String end) {
		Timestamp cut = Timestamp.from(before);
		Date lastDay = Date.valueOf(java.time.LocalDate.ofInstant(before, ChinaStandardTime.ZONE).minusDays(1));
		Map<String, Long> deleted = new LinkedHashMap<>();
		String released = "select id from quarantine where path ~>=~ :path and path ~<~ :end and released_at < :before";
		deleted.put("quarantine_check_in", batches(this.jdbc, """
				delete from quarantine_check_in where id in (select id from quarantine_check_in
				where quarantine_id in (%s) limit %d)""".formatted(released, BATCH), cut, lastDay, path, end));
		deleted.put("quarantine_test", batches(this.jdbc, """
				delete from quarantine_test where (quarantine_id, day_number) in (select quarantine_id, day_number
				from quarantine_test where quarantine_id in (%s) limit %d)""".formatted(released, BATCH), cut, lastDay,
				path, end));
		deleted.put("quarantine",
				batches(this.jdbc, "delete from quarantine where id in (%s limit %d)".formatted(released, BATCH), cut,
						lastDay, path, end));
		return deleted;
	}

}
