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

	/**
	 * A room to find or create: {@link #obtainAll}.
	 *
	 * @param nodePath the node's path, written with a new household and checked by its
	 * key (V128)
	 */
	public record Room(long nodeId, String nodePath, String room, String address) {
	}

	/**
	 * {@link #obtain} for many rooms (an import's chunk), keyed by {@code nodeId|room}:
	 * the rooms that exist in one round trip, the others created in a second. A room that
	 * exists keeps its row untouched, so re-importing an unchanged roster writes no
	 * household and asks once.
	 * @param likelyNew the rooms are probably not there yet (none of the last chunk's
	 * were): they are then created first, and only those that turn out to be there are
	 * asked for, so a first import asks once per chunk too
	 */
	public Obtained obtainAll(Collection<Room> rooms, boolean likelyNew) {
		if (rooms.isEmpty()) {
			return new Obtained(Map.of(), 0);
		}
		Map<String, Long> ids = new HashMap<>();
		if (!likelyNew) {
			existing(rooms, ids);
		}
		List<Room> missing = rooms.stream().filter(r -> !ids.containsKey(key(r.nodeId(), r.room()))).toList();
		if (missing.isEmpty()) {
			return new Obtained(ids, 0);
		}
		int before = ids.size();
		this.jdbc.sql("""
				insert into household (node_id, path, room, address)
				select * from unnest(cast(:nodes as bigint[]), cast(:paths as text[]), cast(:rooms as text[]),
				    cast(:addresses as text[]))
				on conflict (node_id, room) do nothing
				returning id, node_id, room""")
			.param("nodes", missing.stream().map(Room::nodeId).toArray(Long[]::new))
			.param("paths", missing.stream().map(Room::nodePath).toArray(String[]::new))
			.param("rooms", missing.stream().map(Room::room).toArray(String[]::new))
			.param("addresses", missing.stream().map(Room::address).toArray(String[]::new))
			.query((rs, i) -> ids.put(key(rs.getLong("node_id"), rs.getString("room")), rs.getLong("id")))
			.list();
		int created = ids.size() - before;
		// There already (when they were created first), or made by someone else in the
		// meantime (a worker's form): theirs is the room.
		List<Room> there = missing.stream().filter(r -> !ids.containsKey(key(r.nodeId(), r.room()))).toList();
		if (!there.isEmpty()) {
			existing(there, ids);
		}
		return new Obtained(ids, created);
	}

	/**
	 * What {@link #obtainAll} found or created: household ids by {@link #key}, and how
	 * many of them it created.
	 */
	public record Obtained(Map<String, Long> ids, int created) {
	}

	private void existing(Collection<Room> rooms, Map<String, Long> ids) {
		this.jdbc.sql("""
				select h.id, h.node_id, h.room
				from unnest(cast(:nodes as bigint[]), cast(:rooms as text[])) as k(node_id, room)
				join household h on h.node_id = k.node_id and h.room = k.room""")
			.param("nodes", rooms.stream().map(Room::nodeId).toArray(Long[]::new))
			.param("rooms", rooms.stream().map(Room::room).toArray(String[]::new))
			.query((rs, i) -> ids.put(key(rs.getLong("node_id"), rs.getString("room")), rs.getLong("id")))
			.list();
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
