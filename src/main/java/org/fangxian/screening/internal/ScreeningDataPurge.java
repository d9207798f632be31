package org.fangxian.screening.internal;

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
 * Door-to-door visits of campaigns ended before the cut-off, with their knocks and the
 * newcomers found, for the purge; a campaign in progress stays, as do campaigns' names
 * and dates.
 */
@Component
class ScreeningDataPurge implements PersonalDataPurge {

	private final JdbcClient jdbc;

	ScreeningDataPurge(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public String module() {
		return "screening";
	}

	@Override
	public Map<String, Long> purge(Instant before, String path, String end) {
		Timestamp cut = Timestamp.from(before);
		Date lastDay = Date.valueOf(java.time.LocalDate.ofInstant(before, ChinaStandardTime.ZONE).minusDays(1));
		Map<String, Long> deleted = new LinkedHashMap<>();
		String visits = """
				select v.id from screening_visit v join screening_campaign c on c.id = v.campaign_id
				where v.path ~>=~ :path and v.path ~<~ :end and c.ends_on <= :lastDay""";
		deleted.put("screening_newcomer", batches(this.jdbc, """
				delete from screening_newcomer where id in (select id from screening_newcomer
				where visit_id in (%s) limit %d)""".formatted(visits, BATCH), cut, lastDay, path, end));
		deleted.put("screening_attempt", batches(this.jdbc, """
				delete from screening_attempt where id in (select id from screening_attempt
				where visit_id in (%s) limit %d)""".formatted(visits, BATCH), cut, lastDay, path, end));
		deleted.put("screening_visit",
				batches(this.jdbc, "delete from screening_visit where id in (%s limit %d)".formatted(visits, BATCH),
						cut, lastDay, path, end));
		return deleted;
	}

}
