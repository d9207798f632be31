package org.fangxian.registry.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

	/** A room to find or create: {@link #obtainAll}. */
	public record Room(long nodeId, String room, String address) {
	}

	/**
	 * {@link #obtain} for many rooms in two round trips (an import's chunk), keyed by
	 * {@code nodeId|room}. A room that exists keeps its row untouched, so re-importing an
	 * unchanged roster writes no household.
	 */
	public Map<String, Long> obtainAll(Collection<Room> rooms) {
		if (rooms.isEmpty()) {
			return Map.of();
		}
		Long[] nodes = rooms.stream().map(Room::nodeId).toArray(Long[]::new);
		String[] names = rooms.stream().map(Room::room).toArray(String[]::new);
		String[] addresses = rooms.stream().map(Room::address).toArray(String[]::new);
		this.jdbc.sql("""
				insert into household (node_id, room, address)
				select * from unnest(cast(:nodes as bigint[]), cast(:rooms as text[]), cast(:addresses as text[]))
				on conflict (node_id, room) do nothing""")
			.param("nodes", nodes)
			.param("rooms", names)
			.param("addresses", addresses)
			.update();
		Map<String, Long> ids = new HashMap<>();
		this.jdbc.sql("""
				select h.id, h.node_id, h.room
				from unnest(cast(:nodes as bigint[]), cast(:rooms as text[])) as k(node_id, room)
				join household h on h.node_id = k.node_id and h.room = k.room""")
			.param("nodes", nodes)
			.param("rooms", names)
			.query((rs, i) -> ids.put(key(rs.getLong("node_id"), rs.getString("room")), rs.getLong("id")))
			.list();
		return ids;
	}

	/** The key {@link #obtainAll} answers by. */
	public static String key(long nodeId, String room) {
		return nodeId + "|" + room;
	}

	public Optional<Household> findById(long id) {
		return this.jdbc.sql(SELECT + "where id = :id").param("id", id).query(Household.class).optional();
	}

	public List<Household> atNode(long nodeId) {
		return this.jdbc.sql(SELECT + "where node_id = :node").param("node", nodeId).query(Household.class).list();
	}

}
