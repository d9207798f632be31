package org.fangxian.testing;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * For the road checkpoint's page: how many people sent to re-test (补做核酸) at a road
 * checkpoint were actually swabbed on a day, counted from the swabs (one per person and
 * day), not from the checkpoint's RETEST decisions. The caller has checked that the
 * checkpoint is in the user's jurisdiction.
 */
@Component
public class RoadRetests {

	private final JdbcClient jdbc;

	private final Clock clock;

	RoadRetests(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** Re-tests taken for the checkpoint on the day (in the application's time zone). */
	@Transactional(readOnly = true)
	public long taken(long checkpointId, LocalDate day) {
		return this.jdbc.sql("""
				select count(distinct subject_id) from sample
				where checkpoint_id = :checkpoint and taken_at >= :from and taken_at < :to and not voided""")
			.param("checkpoint", checkpointId)
			.param("from", Timestamp.from(day.atStartOfDay(this.clock.getZone()).toInstant()))
			.param("to", Timestamp.from(day.plusDays(1).atStartOfDay(this.clock.getZone()).toInstant()))
			.query(Long.class)
			.single();
	}

}
