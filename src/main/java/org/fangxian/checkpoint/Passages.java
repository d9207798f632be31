package org.fangxian.checkpoint;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Who passed where and when, for flow tracing (流调): a person's passages through gates,
 * the passages at one gate in a time window, the visitors registered there, and the
 * vehicles seen. Every attempt counts, allowed or denied: someone turned back still stood
 * at the gate. The caller checks permission and scope and audits its own use; answers
 * carry ids and masked data only.
 */
@Service
public class Passages {

	private final JdbcClient jdbc;

	Passages(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** One scan of a resident at a gate. */
	public record Passage(long residentId, long checkpointId, String checkpoint, Instant at, Direction direction,
			String plate) {
	}

	/** A non-resident registered at a gate (visitor, delivery); the phone is masked. */
	public record Visitor(long visitId, long checkpointId, String checkpoint, Instant at, String kind, String name,
			String phoneMasked) {
	}

	/** A vehicle checked at a road checkpoint. */
	public record RoadCheck(String plate, String checkpoint, Instant at, String decision) {
	}

	private static final String PASSAGE = """
			select g.resident_id, g.checkpoint_id, c.name as checkpoint, g.scanned_at, g.direction, g.plate
			from gate_scan g join checkpoint c on c.id = g.checkpoint_id
			""";

	private static Passage passage(java.sql.ResultSet rs) throws java.sql.SQLException {
		String direction = rs.getString("direction");
		return new Passage(rs.getLong("resident_id"), rs.getLong("checkpoint_id"), rs.getString("checkpoint"),
				rs.getTimestamp("scanned_at").toInstant(), direction == null ? null : Direction.valueOf(direction),
				rs.getString("plate"));
	}

	/** The resident's passages in the window, oldest first. */
	@Transactional(readOnly = true)
	public List<Passage> of(long residentId, Instant from, Instant to) {
		return this.jdbc
			.sql(PASSAGE
					+ "where g.resident_id = :resident and g.scanned_at between :from and :to order by g.scanned_at")
			.param("resident", residentId)
			.param("from", Timestamp.from(from))
			.param("to", Timestamp.from(to))
			.query((rs, n) -> passage(rs))
			.list();
	}

	/**
	 * Every resident's passage at the checkpoint between the two times, either way
	 * through.
	 */
	@Transactional(readOnly = true)
	public List<Passage> at(long checkpointId, Instant from, Instant to) {
		return this.jdbc.sql(PASSAGE + """
				where g.checkpoint_id = :checkpoint and g.scanned_at between :from and :to and g.resident_id is not null
				order by g.scanned_at""")
			.param("checkpoint", checkpointId)
			.param("from", Timestamp.from(from))
			.param("to", Timestamp.from(to))
			.query((rs, n) -> passage(rs))
			.list();
	}

	/** Visitors and deliveries registered at the checkpoint between the two times. */
	@Transactional(readOnly = true)
	public List<Visitor> visitorsAt(long checkpointId, Instant from, Instant to) {
		return this.jdbc.sql("""
				select v.id, v.checkpoint_id, c.name as checkpoint, v.at, v.kind, v.name, v.phone_masked
				from gate_visit v join checkpoint c on c.id = v.checkpoint_id
				where v.checkpoint_id = :checkpoint and v.at between :from and :to and v.kind in ('VISITOR', 'DELIVERY')
				  and v.name is not null
				order by v.at""")
			.param("checkpoint", checkpointId)
			.param("from", Timestamp.from(from))
			.param("to", Timestamp.from(to))
			.query((rs, n) -> new Visitor(rs.getLong("id"), rs.getLong("checkpoint_id"), rs.getString("checkpoint"),
					rs.getTimestamp("at").toInstant(), rs.getString("kind"), rs.getString("name"),
					rs.getString("phone_masked")))
			.list();
	}

	/**
	 * Residents scanned at a gate with one of these plates in the window: people of the
	 * same vehicle.
	 */
	@Transactional(readOnly = true)
	public List<Passage> withPlates(Collection<String> plates, Instant from, Instant to) {
		if (plates.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql(PASSAGE + """
				where g.plate in (:plates) and g.scanned_at between :from and :to and g.resident_id is not null
				order by g.scanned_at""")
			.param("plates", plates)
			.param("from", Timestamp.from(from))
			.param("to", Timestamp.from(to))
			.query((rs, n) -> passage(rs))
			.list();
	}

	/** Road checks (一卡一码一核酸) of these plates in the window. */
	@Transactional(readOnly = true)
	public List<RoadCheck> roadChecks(Collection<String> plates, Instant from, Instant to) {
		if (plates.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql("""
				select r.plate, c.name as checkpoint, r.checked_at, r.decision
				from road_check r join checkpoint c on c.id = r.checkpoint_id
				where r.plate in (:plates) and r.checked_at between :from and :to order by r.checked_at""")
			.param("plates", plates)
			.param("from", Timestamp.from(from))
			.param("to", Timestamp.from(to))
			.query((rs, n) -> new RoadCheck(rs.getString("plate"), rs.getString("checkpoint"),
					rs.getTimestamp("checked_at").toInstant(), rs.getString("decision")))
			.list();
	}

}
