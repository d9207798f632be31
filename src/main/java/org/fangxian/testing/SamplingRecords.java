package org.fangxian.testing;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Who was sampled with or near a person, for flow tracing (流调). The caller checks
 * permission and scope and audits its own use; the answers carry ids, never names.
 */
@Service
public class SamplingRecords {

	private final JdbcClient jdbc;

	SamplingRecords(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Someone whose swab went into the same tube as the person's, sampled in the window.
	 */
	public record TubeMate(long residentId, String barcode, Instant sampledAt) {
	}

	/** Someone sampled at the same sampling point as the person, close in time. */
	public record SamplingNeighbour(long residentId, String point, Instant sampledAt) {
	}

	/** One of the person's own swabs. */
	public record Swab(String barcode, Instant sampledAt, String point, String result) {
	}

	@Transactional(readOnly = true)
	public List<Swab> swabsOf(long residentId, Instant from, Instant to) {
		return this.jdbc.sql("""
				select t.barcode, s.taken_at, coalesce(st.name || ' ' || p.name, '') as point, t.result
				from sample s join tube t on t.id = s.tube_id
				left join sampling_point p on p.id = t.point_id left join testing_site st on st.id = p.site_id
				where s.resident_id = :resident and s.taken_at between :from and :to
				order by s.taken_at""")
			.param("resident", residentId)
			.param("from", Timestamp.from(from))
			.param("to", Timestamp.from(to))
			.query((rs, n) -> new Swab(rs.getString("barcode"), rs.getTimestamp("taken_at").toInstant(),
					rs.getString("point"), rs.getString("result")))
			.list();
	}

	/** The other people of every tube the person was swabbed into in the window. */
	@Transactional(readOnly = true)
	public List<TubeMate> tubeMates(long residentId, Instant from, Instant to) {
		return this.jdbc.sql("""
				select o.resident_id, t.barcode, o.taken_at
				from sample s join tube t on t.id = s.tube_id join sample o on o.tube_id = s.tube_id
				where s.resident_id = :resident and s.taken_at between :from and :to and o.resident_id <> s.resident_id
				order by o.taken_at""")
			.param("resident", residentId)
			.param("from", Timestamp.from(from))
			.param("to", Timestamp.from(to))
			.query((rs, n) -> new TubeMate(rs.getLong("resident_id"), rs.getString("barcode"),
					rs.getTimestamp("taken_at").toInstant()))
			.list();
	}

	/**
	 * People swabbed at the same sampling point within {@code margin} of any of the
	 * person's swabs in the window (the queue they stood in). Tubes are found by point
	 * and opening time (indexed): a tube fills within minutes, so one opened more than an
	 * hour before the swab is not searched.
	 */
	@Transactional(readOnly = true)
	public List<SamplingNeighbour> samplingNeighbours(long residentId, Instant from, Instant to, Duration margin) {
		return this.jdbc
			.sql("""
					select o.resident_id, st.name || ' ' || p.name as point, o.taken_at
					from sample s join tube t on t.id = s.tube_id
					join tube n on n.point_id = t.point_id
					     and n.opened_at between s.taken_at - interval '1 hour' - make_interval(secs => :margin) and s.taken_at + make_interval(secs => :margin)
					join sample o on o.tube_id = n.id and o.taken_at between s.taken_at - make_interval(secs => :margin) and s.taken_at + make_interval(secs => :margin)
					join sampling_point p on p.id = t.point_id join testing_site st on st.id = p.site_id
					where s.resident_id = :resident and s.taken_at between :from and :to and t.point_id is not null
					  and o.resident_id <> s.resident_id
					order by o.taken_at""")
			.param("resident", residentId)
			.param("from", Timestamp.from(from))
			.param("to", Timestamp.from(to))
			.param("margin", (double) margin.toSeconds())
			.query((rs, n) -> new SamplingNeighbour(rs.getLong("resident_id"), rs.getString("point"),
					rs.getTimestamp("taken_at").toInstant()))
			.list();
	}

	/**
	 * Whether the person waits for an individual re-test after a positive pooled tube
	 * (待复核).
	 */
	@Transactional(readOnly = true)
	public boolean pendingRetest(long residentId) {
		return this.jdbc.sql("""
				select exists (select 1 from testing_followup where resident_id = :resident and kind = 'RETEST'
				               and resolved_at is null)""").param("resident", residentId).query(Boolean.class).single();
	}

}
