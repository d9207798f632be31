package org.fangxian.task.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.fangxian.shared.PersonalDataPurge;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The task engine's personal records for the purge (清除个人信息), for tasks closed before the
 * cut-off; an open task is today's work and stays whole. A supply request goes with its
 * task (who asked, for what, the delivery photo). A work order stays as a number for the
 * statistics (category, unit, dates, on time, satisfaction) but loses the caller: phone,
 * what they said, the reply texted to them, the verification's notes. Every closed task
 * loses its history (names in its notes) and its files; inspections done before the
 * cut-off lose their photos.
 */
@Component
class TaskDataPurge implements PersonalDataPurge {

	static final String WIPED = "（已清除）";

	private final JdbcClient jdbc;

	TaskDataPurge(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public String module() {
		return "task";
	}

	@Override
	public Map<String, Long> purge(Instant before, String path, String end) {
		Timestamp cut = Timestamp.from(before);
		String closed = """
				select id from task where path ~>=~ :path and path ~<~ :end and closed_at < :before""";
		Map<String, Long> deleted = new LinkedHashMap<>();
		deleted.put("task_attachment", batches("""
				delete from task_attachment where id in (select id from task_attachment
				where task_id in (%s) limit %d)""".formatted(closed, BATCH), cut, path, end));
		deleted.put("task_event", batches("""
				delete from task_event where id in (select id from task_event
				where task_id in (%s) limit %d)""".formatted(closed, BATCH), cut, path, end));
		deleted.put("work_order_verification", batches("""
				delete from work_order_verification where id in (select id from work_order_verification
				where task_id in (%s) limit %d)""".formatted(closed, BATCH), cut, path, end));
		deleted.put("work_order", batches("""
				update work_order set phone_cipher = '\\x'::bytea, phone_masked = '', content = '%s', reply = null
				where task_id in (select task_id from work_order where phone_masked <> '' and task_id in (%s)
				                  limit %d)""".formatted(WIPED, closed, BATCH), cut, path, end));
		deleted.put("support_request", batches("""
				delete from support_request where task_id in (select task_id from support_request
				where task_id in (%s) limit %d)""".formatted(closed, BATCH), cut, path, end));
		deleted.put("task", batches("""
				delete from task where id in (select id from task where type = 'SUPPORT'
				and id in (%s) limit %d)""".formatted(closed, BATCH), cut, path, end));
		deleted.put("inspection_photo", batches("""
				delete from inspection_photo where id in (select p.id from inspection_photo p
				join inspection i on i.id = p.inspection_id
				where i.path ~>=~ :path and i.path ~<~ :end and i.done_at < :before limit %d)""".formatted(BATCH), cut,
				path, end));
		return deleted;
	}

	private long batches(String sql, Timestamp before, String path, String end) {
		return PersonalDataPurge
			.inBatches(() -> this.jdbc.sql(sql).param("before", before).param("path", path).param("end", end).update());
	}

}
