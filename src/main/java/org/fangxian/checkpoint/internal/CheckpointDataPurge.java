package org.fangxian.checkpoint.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.fangxian.shared.PersonalDataPurge;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Checkpoint's personal records for the purge: gate scans (and the alerts pointing at
 * them), registered visits and turn-backs, road checks. The day counters
 * ({@code gate_day_count}) stay: anonymous, and no trigger fires on delete. Each batch
 * walks the (checkpoint, time) indexes of the subtree's checkpoints.
 */
@Component
class CheckpointDataPurge implements PersonalDataPurge {

	private final JdbcClient jdbc;

	CheckpointDataPurge(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public String module() {
		return "checkpoint";
	}

	private static final String CHECKPOINTS = "select id from checkpoint where path ~>=~ :path and path ~<~ :end";

	@Override
	public Map<String, Long> purge(Instant before, String path, String end) {
		Timestamp cut = Timestamp.from(before);
		Map<String, Long> deleted = new LinkedHashMap<>();
		deleted.put("checkpoint_alert",
				PersonalDataPurge.inBatches(() -> delete(
						"""
								delete from checkpoint_alert where id in (select a.id from checkpoint_alert a join gate_scan s on s.id = a.scan_id and s.scanned_at = a.scan_at
								where a.district_id = any(districts_under(:path)) and s.district_id = a.district_id
								  and s.checkpoint_id in (%s) and s.scanned_at < :before limit %d)""",
						cut, path, end)));
		deleted.put("gate_scan", PersonalDataPurge.inBatches(() -> delete("""
				delete from gate_scan where (id, scanned_at) in (select id, scanned_at from gate_scan
				where district_id = any(districts_under(:path)) and checkpoint_id in (%s) and scanned_at < :before
				limit %d)""", cut, path, end)));
		deleted.put("gate_visit", PersonalDataPurge.inBatches(() -> delete("""
				delete from gate_visit where id in (select id from gate_visit
				where district_id = any(districts_under(:path)) and checkpoint_id in (%s) and at < :before limit %d)""",
				cut, path, end)));
		deleted.put("road_check", PersonalDataPurge.inBatches(() -> delete("""
				delete from road_check where id in (select id from road_check
				where checkpoint_id in (%s) and checked_at < :before limit %d)""", cut, path, end)));
		return deleted;
	}

	private int delete(String sql, Timestamp before, String path, String end) {
		return this.jdbc.sql(sql.formatted(CHECKPOINTS, BATCH))
			.param("before", before)
			.param("path", path)
			.param("end", end)
			.update();
	}

}
