package org.fangxian.containment;

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
 * Containment's personal records for the purge: quarantines released before the cut-off
 * with their check-ins and tests, door-to-door visits of campaigns ended before it
 * (knocks, newcomers found), returnees' reports and form submissions made before it. What
 * is still running (an open quarantine, a campaign in progress) is today's work and
 * stays. Seals hold no personal data and stay, as do the campaigns' names and dates.
 */
@Component
class ContainmentDataPurge implements PersonalDataPurge {

	private final JdbcClient jdbc;

	ContainmentDataPurge(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public String module() {
		return "containment";
	}

	@Override
	public Map<String, Long> purge(Instant before, String path, String end) {
		Timestamp cut = Timestamp.from(before);
		Date lastDay = Date.valueOf(java.time.LocalDate.ofInstant(before, ChinaStandardTime.ZONE).minusDays(1));
		Map<String, Long> deleted = new LinkedHashMap<>();
		String released = "select id from quarantine where path ~>=~ :path and path ~<~ :end and released_at < :before";
		deleted.put("quarantine_check_in", batches("""
				delete from quarantine_check_in where id in (select id from quarantine_check_in
				where quarantine_id in (%s) limit %d)""".formatted(released, BATCH), cut, lastDay, path, end));
		deleted.put("quarantine_test", batches("""
				delete from quarantine_test where (quarantine_id, day_number) in (select quarantine_id, day_number
				from quarantine_test where quarantine_id in (%s) limit %d)""".formatted(released, BATCH), cut, lastDay,
				path, end));
		deleted.put("quarantine", batches("delete from quarantine where id in (%s limit %d)".formatted(released, BATCH),
				cut, lastDay, path, end));
		String visits = """
				select v.id from screening_visit v join screening_campaign c on c.id = v.campaign_id
				where v.path ~>=~ :path and v.path ~<~ :end and c.ends_on <= :lastDay""";
		deleted.put("screening_newcomer", batches("""
				delete from screening_newcomer where id in (select id from screening_newcomer
				where visit_id in (%s) limit %d)""".formatted(visits, BATCH), cut, lastDay, path, end));
		deleted.put("screening_attempt", batches("""
				delete from screening_attempt where id in (select id from screening_attempt
				where visit_id in (%s) limit %d)""".formatted(visits, BATCH), cut, lastDay, path, end));
		deleted.put("screening_visit",
				batches("delete from screening_visit where id in (%s limit %d)".formatted(visits, BATCH), cut, lastDay,
						path, end));
		deleted.put("returnee_report", batches("""
				delete from returnee_report where id in (select r.id from returnee_report r
				where r.path ~>=~ :path and r.path ~<~ :end and r.reported_at < :before
				  and not exists (select 1 from screening_attempt a where a.returnee_report_id = r.id) limit %d)"""
			.formatted(BATCH), cut, lastDay, path, end));
		return deleted;
	}

	private long batches(String sql, Timestamp before, Date lastDay, String path, String end) {
		return PersonalDataPurge.inBatches(() -> this.jdbc.sql(sql)
			.param("before", before)
			.param("lastDay", lastDay)
			.param("path", path)
			.param("end", end)
			.update());
	}

}
