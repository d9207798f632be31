package org.fangxian.registry.internal;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class Households {

	private final JdbcClient jdbc;

	Households(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * A household: a room in a unit (or in a building, compound or community when rosters
	 * stop there).
	 */
	public record Household(long id, long nodeId, String path, String room, String address) {
	}

	private static final String SELECT = "select id, node_id, path, room, address from household ";

	/**
	 * Finds or creates, race-free: two imports naming the same room get the same
	 * household.
	 */
	public Household obtain(long nodeId, String room, String address) {
		return this.jdbc.sql("""
				insert into household (node_id, room, address) values (:node, :room, :address)
				on conflict (node_id, room) do update set room = excluded.room
				returning id, node_id, path, room, address""")
			.param("node", nodeId)
			.param("room", room)
			.param("address", address)
			.query(Household.class)
			.single();
	}

	public Optional<Household> findById(long id) {
		return this.jdbc.sql(SELECT + "where id = :id").param("id", id).query(Household.class).optional();
	}

	public List<Household> atNode(long nodeId) {
		return this.jdbc.sql(SELECT + "where node_id = :node").param("node", nodeId).query(Household.class).list();
	}

}
