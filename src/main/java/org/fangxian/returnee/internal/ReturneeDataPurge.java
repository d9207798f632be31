package org.fangxian.returnee.internal;

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
 * Returnees' reports made before the cut-off, for the purge.
 */
@Component
class ReturneeDataPurge implements PersonalDataPurge {

	private final JdbcClient jdbc;

	ReturneeDataPurge(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public String module() {
		return "returnee";
	}

	@Override
	public Map<String, Long> purge(Instant before, String path, String end) {
		Timestamp cut = Timestamp.from(before);
		Date lastDay = Date.valueOf(java.time.LocalDate.ofInstant(before, ChinaStandardTime.ZONE).minusDays(1));
		Map<String, Long> deleted = new LinkedHashMap<>();
		// A knock that found this returnee keeps its visit; the link is dropped (V68: on
		// delete set null), so a running campaign never holds a purge back.
		deleted.put("returnee_report", batches(this.jdbc, """
				delete from returnee_report where id in (select r.id from returnee_report r
				where r.path ~>=~ :path and r.path ~<~ :end and r.reported_at < :before limit %d)""".formatted(BATCH),
				cut, lastDay, path, end));
		return deleted;
	}

}
