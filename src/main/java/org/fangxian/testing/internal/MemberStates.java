package org.fangxian.testing.internal;

import java.util.Collection;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code round_member.state} equal to what the person's samples say, in the
 * transaction that changed them: positive if any valid sample's tube is positive, pending
 * if any has no result yet, negative if all are negative, none without a valid sample.
 * One rule, used by every writer.
 */
@Component
public class MemberStates {

	private static final String STATE = """
			(select case when count(*) = 0 then 'NONE'
			             when bool_or(t.result = 'POSITIVE') then 'POSITIVE'
			             when bool_or(t.result is null) then 'PENDING'
			             else 'NEGATIVE' end
			 from sample s join tube t on t.id = s.tube_id
			 where s.round_id = m.round_id and s.resident_id = m.resident_id and not s.voided)""";

	private final JdbcClient jdbc;

	MemberStates(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void refresh(long roundId, long residentId) {
		this.jdbc
			.sql("update round_member m set state = " + STATE
					+ " where m.round_id = :round and m.resident_id = :resident")
			.param("round", roundId)
			.param("resident", residentId)
			.update();
	}

	/**
	 * Everyone who was ever sampled into these tubes: the same rule, set-based (one
	 * grouped pass over their samples rather than a sub-query per person), and only rows
	 * whose state changes are written, so a lab file imported again rewrites nothing.
	 */
	void refreshTubes(Collection<Long> tubeIds) {
		if (tubeIds.isEmpty()) {
			return;
		}
		this.jdbc
			.sql("""
					update round_member m set state = x.state
					from (select s.round_id, s.resident_id,
					             case when count(*) filter (where not s.voided) = 0 then 'NONE'
					                  when bool_or(t.result = 'POSITIVE') filter (where not s.voided) then 'POSITIVE'
					                  when bool_or(t.result is null) filter (where not s.voided) then 'PENDING'
					                  else 'NEGATIVE' end as state
					      from sample s join tube t on t.id = s.tube_id
					      where (s.round_id, s.resident_id) in (select round_id, resident_id from sample where tube_id in (:tubes))
					      group by s.round_id, s.resident_id) x
					where m.round_id = x.round_id and m.resident_id = x.resident_id and m.state <> x.state""")
			.param("tubes", tubeIds)
			.update();
	}

}
